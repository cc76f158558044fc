using BinlogArchive.Core.Binlog;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Binlog;

/// <summary>
/// The reader against the committed MariaDB 10.11 fixtures: every number must equal what the
/// server itself reported when the files were made (tests/fixtures/mariadb/manifest.json).
/// No server needed.
/// </summary>
public sealed class FixtureReaderTests
{
    private static readonly FixtureManifest Manifest = FixtureManifest.Load();

    public static TheoryData<string> Files => FixtureManifest.FileNames();

    [Theory]
    [MemberData(nameof(Files))]
    public void Summary_matches_what_the_server_reported(string name)
    {
        var expected = Manifest.File(name);
        var summary = BinlogFileReader.Read(expected.Path);

        Assert.Empty(summary.Errors);
        Assert.Equal(name, summary.FileName);
        Assert.Equal(BinlogFlavor.MariaDb, summary.Flavor);
        Assert.Equal(Manifest.ServerVersion, summary.ServerVersion);
        Assert.Equal((uint)Manifest.ServerId, summary.ServerId);
        Assert.Equal(BinlogChecksumAlgorithm.Crc32, summary.ChecksumAlgorithm);
        Assert.Equal(expected.FirstEventPos, summary.StartPosition);
        Assert.Equal(expected.LastEndLogPos, summary.EndPosition);
        Assert.Equal(expected.Size, summary.Size);
        Assert.Equal(expected.ServerReportedSize, summary.Size);
        Assert.False(summary.TruncatedTail);
        Assert.False(summary.InUseFlag);
        Assert.True(summary.ClosedCleanly);
        Assert.Equal(EventTypeNames.Key(expected.LastEventType), EventTypeNames.Key(summary.LastEventType ?? ""));
        Assert.Equal(expected.EventCount, summary.EventCount);
        Assert.Equal(EventTypeNames.Normalize(expected.EventTypes), EventTypeNames.Normalize(summary.EventCounts));
        Assert.Equal(expected.TransactionCount, summary.TransactionCount);
        Assert.Equal(0, summary.CompressedTransactionCount);
        Assert.Equal(0, summary.UnknownEventCount);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Gtid_sets_match_the_server(string name)
    {
        var expected = Manifest.File(name);
        var summary = BinlogFileReader.Read(expected.Path);

        // MariaDB notation: GTID_LIST of this file, and @@gtid_binlog_pos right after the rotation.
        Assert.Equal(expected.PreviousGtids, summary.PreviousGtids.ToString());
        Assert.Equal(expected.GtidBinlogPosAtClose, summary.ExecutedGtids.ToString());
        Assert.Equal(summary.ExecutedGtids, summary.PreviousGtids.Union(summary.AddedGtids));
        Assert.Equal(BinlogFlavor.MariaDb, summary.ExecutedGtids.Flavor);
        foreach (var t in expected.Transactions)
        {
            Assert.True(summary.AddedGtids.Contains(t.Gtid), $"{t.Gtid} missing from added set {summary.AddedGtids}");
            Assert.False(summary.PreviousGtids.Contains(t.Gtid), $"{t.Gtid} already in previous set {summary.PreviousGtids}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Transactions_match_show_binlog_events(string name)
    {
        var expected = Manifest.File(name);
        var seen = new List<BinlogTransaction>();
        BinlogFileReader.Read(expected.Path, new BinlogScanOptions { OnTransaction = seen.Add });

        Assert.Equal(
            expected.Transactions.Select(t => (t.Gtid, t.GtidPos, t.EndLogPos)).ToList(),
            seen.Select(t => ((string?)t.Gtid ?? "<anonymous>", t.StartPosition, t.EndPosition)).ToList());
        for (var i = 0; i < seen.Count; i++)
        {
            var t = expected.Transactions[i];
            var r = seen[i];
            // MariaDB has whole-second times only; the commit time is the GTID or the
            // terminating event's header time (both as mariadb-binlog printed them).
            Assert.False(r.MicrosecondPrecision, r.Gtid);
            Assert.False(r.Compressed, r.Gtid);
            Assert.Equal(0, r.CommitTime.Ticks % TimeSpan.TicksPerSecond);
            Assert.InRange(r.CommitTime, t.GtidEventTime, t.EndEventTime);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Event_times_match_mariadb_binlog(string name)
    {
        var expected = Manifest.File(name);
        var summary = BinlogFileReader.Read(expected.Path);

        Assert.Equal(expected.FirstEventTime, summary.FirstEventAt);
        Assert.Equal(expected.LastEventTime, summary.LastEventAt);
    }

    [Fact]
    public void Previous_set_of_each_file_is_the_executed_set_of_the_one_before()
    {
        var summaries = Manifest.Files.Select(f => BinlogFileReader.Read(f.Path)).ToList();

        Assert.True(summaries[0].PreviousGtids.IsEmpty);
        for (var i = 1; i < summaries.Count; i++)
        {
            Assert.Equal(summaries[i - 1].ExecutedGtids, summaries[i].PreviousGtids);
            Assert.Equal(summaries[i - 1].RotatesTo, summaries[i].FileName);
        }
    }

    [Fact]
    public void Index_lists_every_fixture_in_order()
    {
        var lines = File.ReadAllLines(Path.Combine(FixtureManifest.Directory, Manifest.IndexFile))
            .Where(l => l.Length > 0).ToList();

        Assert.Equal(Manifest.Files.Select(f => "./" + f.Name), lines);
    }

    [Fact]
    public void Fixture_set_covers_what_it_claims()
    {
        // Guards the fixtures themselves (a regenerated set must keep these properties).
        var all = Manifest.Files.SelectMany(f => f.Transactions).ToList();
        Assert.Contains(all, t => t.EndLogPos - t.GtidPos > 2 * 1024 * 1024);
        Assert.Contains(all, t => t.Kind == "ddl");
        Assert.Contains(all, t => t.Kind == "commit");
        Assert.Contains(all, t => t.Kind == "xid");
        Assert.Contains(all, t => t.Gtid.StartsWith("1-", StringComparison.Ordinal));
        Assert.Contains(all.GroupBy(t => t.EndEventTime), g => g.Count() >= 3);
        Assert.Contains(Manifest.Files, f => f.LastEventType == "Stop");
        Assert.Contains(Manifest.Files, f => f.LastEventType == "Rotate");
        Assert.True(Manifest.Files.Sum(f => f.Size) < 4 * 1024 * 1024);
    }

    [MariaDbToolsFact]
    public void Manifest_agrees_with_mariadb_binlog_run_now()
    {
        // The manifest's times came from mariadb-binlog at generation time; the local tool must
        // still agree, or the manifest (not the reader) is what is wrong.
        var f = Manifest.Files[0];
        var headers = MariaDbBinlogTool.ReadEventHeaders(f.Path);
        Assert.Equal(f.EventCount, headers.Count);
        Assert.Equal(f.FirstEventTime, headers[0].Timestamp);
        Assert.Equal(f.LastEndLogPos, headers[^1].EndLogPos);
    }
}
