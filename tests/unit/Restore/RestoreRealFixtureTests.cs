using System.Text.Json;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Restore;

namespace BinlogArchive.Tests.Unit.Restore;

/// <summary>
/// Plans over the committed MariaDB 10.11 binlogs in tests/fixtures/mariadb, read by our reader;
/// expected positions come from the server's own manifest.json, not from our parser.
/// </summary>
public sealed class RestoreRealFixtureTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.TestFixtures, "mariadb");

    private static readonly Lazy<(List<ArchivedBinlog> Archives, Dictionary<string, List<BinlogTransaction>> Transactions)> Read = new(() =>
    {
        var archives = new List<ArchivedBinlog>();
        var txs = new Dictionary<string, List<BinlogTransaction>>();
        foreach (var path in Directory.GetFiles(Dir, "mysql-bin.0*").Order(StringComparer.Ordinal))
        {
            var list = new List<BinlogTransaction>();
            var s = BinlogFileReader.Read(path, new BinlogScanOptions { OnTransaction = list.Add }).ThrowIfInvalid();
            var name = Path.GetFileName(path);
            archives.Add(new ArchivedBinlog(name, long.Parse(name[^6..]), s.ServerId, null, s.Flavor, s.FirstEventAt, s.LastEventAt,
                s.StartPosition, s.EndPosition, s.PreviousGtids, s.AddedGtids, "fixture/" + name));
            txs[name] = list;
        }

        return (archives, txs);
    });

    private static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json"))).RootElement;

    private static JsonElement ServerTransaction(string gtid) =>
        Manifest.GetProperty("files").EnumerateArray()
            .SelectMany(f => f.GetProperty("transactions").EnumerateArray())
            .Single(t => t.GetProperty("gtid").GetString() == gtid);

    private static RestorePlan Plan(BackupCoordinates backup, RestoreTarget target) =>
        RestorePlanner.Plan(Read.Value.Archives, backup, target, null, a => Read.Value.Transactions[a.Name]);

    // A mariadb-backup taken right after 0-1-4 committed: its coordinates are 0-1-4's end_log_pos.
    private static BackupCoordinates Backup => BackupCoordinates.ParseBinlogInfo(
        $"mysql-bin.000001\t{ServerTransaction("0-1-4").GetProperty("end_log_pos").GetInt64()}\t0-1-4\n", "xtrabackup_binlog_info");

    [Fact]
    public void Latest_chains_all_five_real_files_from_the_backup_position()
    {
        var plan = Plan(Backup, RestoreTarget.Latest);

        Assert.Equal(Manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()), plan.Steps.Select(s => s.File));
        Assert.Equal(4346, plan.Steps[0].StartPosition);
        Assert.All(plan.Steps.Skip(1), s => Assert.Equal(4, s.StartPosition));
        Assert.Equal("0-1-5..21,1-1-1", plan.GtidsToApply.ToString());
        var lastFile = Manifest.GetProperty("files").EnumerateArray().Last();
        Assert.Equal(GtidSet.Parse(lastFile.GetProperty("gtid_binlog_pos_at_close").GetString()!), plan.GtidsAtStop);
    }

    [Theory]
    [InlineData("0-1-17", true)]
    [InlineData("1-1-1", false)]
    [InlineData("0-1-19", true)]
    public void Gtid_targets_stop_where_the_server_says_the_transaction_ends(string gtid, bool inclusive)
    {
        var plan = Plan(Backup, inclusive ? RestoreTarget.StopAfterGtid(gtid) : RestoreTarget.StopBeforeGtid(gtid));

        var server = ServerTransaction(gtid);
        long expected = inclusive ? server.GetProperty("end_log_pos").GetInt64() : server.GetProperty("gtid_pos").GetInt64();
        Assert.Equal(expected, plan.Steps[^1].StopPosition);
        Assert.Equal(inclusive, plan.GtidsAtStop.Contains(gtid));
    }

    [Fact]
    public void A_time_inside_the_busy_real_second_is_ambiguous_and_lists_its_gtids()
    {
        // From the file start: 0-1-1..4 were recorded in :37, everything else in :38.
        var plan = Plan(BackupCoordinates.ParseFilePosition("mysql-bin.000001:4"),
            RestoreTarget.AtTime(ChainFixture.At("2026-11-22T04:23:38.5Z")));

        Assert.Equal(4346, Assert.Single(plan.Steps).StopPosition);
        var a = Assert.IsType<RestoreAmbiguity>(plan.Ambiguity);
        var inSecond = Manifest.GetProperty("files").EnumerateArray()
            .SelectMany(f => f.GetProperty("transactions").EnumerateArray())
            .Where(t => t.GetProperty("end_event_time").GetString() == "2026-11-22T04:23:38Z")
            .Select(t => t.GetProperty("gtid").GetString());
        Assert.Equal(inSecond, a.Transactions.Select(t => t.Gtid));

        var exact = Plan(BackupCoordinates.ParseFilePosition("mysql-bin.000001:4"), RestoreTarget.AtTime(ChainFixture.At("2026-11-22T04:23:38Z")));
        Assert.Null(exact.Ambiguity);
        Assert.Equal("0-1-4", exact.LastAppliedGtid);
    }
}
