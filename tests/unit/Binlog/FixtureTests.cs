using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>The real binlogs in ../shared/fixtures/mysql-binlogs, checked against what their README states.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string> AllFixtures() =>
    [
        "mysql-8.4.0__binlog.000007",
        "mysql-8.4.0__binlog.000007.inuse-snapshot",
        "mysql-8.0.31-gtid-zstd__mysql-bin.000057",
        "mysql-8.0.32-zstd__transaction_compression.000001",
        "mysql-8.0.28-gtid__mysql-enum-string-set.000001",
        "mysql-8.0.22__json.binlog.000001",
        "mysql-5.7.40-gtid__mysql-bin.000080",
        "mariadb-10.5.15__mariadb-bin.000001",
        "mariadb-11.8.5__mariadb-repl-bin.000005",
    ];

    private static BinlogFileSummary Read(string name, List<BinlogTransaction>? transactions = null) =>
        BinlogFileReader.Read(RepoPaths.SharedFixture(name),
            new BinlogScanOptions { OnTransaction = transactions == null ? null : transactions.Add });

    [SharedFixtureTheory]
    [MemberData(nameof(AllFixtures))]
    public void Every_fixture_reads_without_error(string name)
    {
        var s = Read(name);

        Assert.Empty(s.Errors);
        Assert.Equal(new FileInfo(RepoPaths.SharedFixture(name)).Length, s.Size);
        Assert.Equal(4, s.StartPosition);
        Assert.Equal(BinlogChecksumAlgorithm.Crc32, s.ChecksumAlgorithm);
        Assert.Equal(0, s.UnknownEventCount);
        Assert.Equal(s.EventCount, s.EventCounts.Values.Sum());
        Assert.Equal(1, s.EventCounts["FORMAT_DESCRIPTION_EVENT"]);
        Assert.True(s.FirstEventAt <= s.LastEventAt);
        Assert.Equal(s.PreviousGtids.Union(s.AddedGtids), s.ExecutedGtids);
    }

    [SharedFixtureTheory]
    [MemberData(nameof(AllFixtures))]
    public void Random_chunking_gives_the_same_summary(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.SharedFixture(name));
        var reference = SummaryText.Of(Scan.Whole(name, bytes, out var referenceTx)) + string.Join("\n", referenceTx);
        foreach (int chunk in new[] { 1, 7, 19, 64 * 1024 })
        {
            var s = Scan.Chunked(name, bytes, chunk, out var tx);
            Assert.Equal(reference, SummaryText.Of(s) + string.Join("\n", tx));
        }

        var random = new Random(name.Length);
        for (int round = 0; round < 5; round++)
        {
            var s = Scan.RandomChunks(name, bytes, random, out var tx);
            Assert.Equal(reference, SummaryText.Of(s) + string.Join("\n", tx));
        }
    }

    [SharedFixtureFact]
    public void Mysql_8_4_0_closed_file_ends_with_stop_and_has_anonymous_gtids()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mysql-8.4.0__binlog.000007", tx);

        Assert.Equal(BinlogFlavor.MySql, s.Flavor);
        Assert.Equal("8.4.0", s.ServerVersion);
        Assert.Equal(326, s.EventCount);
        Assert.False(s.InUseFlag);
        Assert.True(s.ClosedCleanly);
        Assert.Equal("STOP_EVENT", s.LastEventType);
        Assert.Null(s.RotatesTo);
        Assert.Equal(s.Size, s.EndPosition);
        Assert.False(s.TruncatedTail);
        Assert.True(s.PreviousGtids.IsEmpty);
        Assert.True(s.AddedGtids.IsEmpty);
        Assert.True(s.EventCounts["ANONYMOUS_GTID_LOG_EVENT"] > 0);
        // Every anonymous GTID starts one transaction; 8.4 always writes its commit timestamp.
        Assert.Equal(s.EventCounts["ANONYMOUS_GTID_LOG_EVENT"], s.TransactionCount);
        Assert.Equal(s.TransactionCount, tx.Count);
        Assert.All(tx, t => Assert.Null(t.Gtid));
        Assert.All(tx, t => Assert.True(t.MicrosecondPrecision));
        Assert.All(tx, t => Assert.InRange(t.CommitTime, s.FirstEventAt!.Value, s.LastEventAt!.Value.AddSeconds(1)));
        AssertTransactionsAreOrderedAndDisjoint(tx, s);
    }

    [SharedFixtureFact]
    public void Mysql_8_4_0_in_use_snapshot_is_a_prefix_and_not_closed()
    {
        var closed = Read("mysql-8.4.0__binlog.000007");
        var snapshot = Read("mysql-8.4.0__binlog.000007.inuse-snapshot");

        Assert.True(snapshot.InUseFlag);
        Assert.False(snapshot.ClosedCleanly);
        Assert.NotEqual("STOP_EVENT", snapshot.LastEventType);
        Assert.True(snapshot.EventCount < closed.EventCount);
        Assert.True(snapshot.EndPosition <= snapshot.Size);
        Assert.Equal(snapshot.TruncatedTail, snapshot.EndPosition < snapshot.Size);

        // Byte prefix of the closed file except the FDE flag byte at offset 21 (§3.3).
        var a = File.ReadAllBytes(RepoPaths.SharedFixture("mysql-8.4.0__binlog.000007"));
        var b = File.ReadAllBytes(RepoPaths.SharedFixture("mysql-8.4.0__binlog.000007.inuse-snapshot"));
        a[21] = b[21] = 0;
        Assert.True(a.AsSpan(0, b.Length).SequenceEqual(b));
    }

    [SharedFixtureFact]
    public void Mysql_8_0_31_gtid_zstd()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mysql-8.0.31-gtid-zstd__mysql-bin.000057", tx);

        Assert.Equal("76f3e7be-6720-11ed-9cad-0242ac110002:1-10", s.PreviousGtids.ToString());
        Assert.Equal("76f3e7be-6720-11ed-9cad-0242ac110002:11-13", s.AddedGtids.ToString());
        Assert.Equal("76f3e7be-6720-11ed-9cad-0242ac110002:1-13", s.ExecutedGtids.ToString());
        Assert.Equal(2, s.EventCounts["TRANSACTION_PAYLOAD_EVENT"]);
        Assert.Equal(2, s.CompressedTransactionCount);
        Assert.Equal(3, s.TransactionCount);
        Assert.Empty(s.Warnings);
        Assert.Equal(
            ["76f3e7be-6720-11ed-9cad-0242ac110002:11", "76f3e7be-6720-11ed-9cad-0242ac110002:12", "76f3e7be-6720-11ed-9cad-0242ac110002:13"],
            tx.Select(t => t.Gtid));
        Assert.False(tx[0].Compressed);   // the DDL "create table b(id int)"
        Assert.True(tx[1].Compressed);
        Assert.True(tx[2].Compressed);
        Assert.All(tx, t => Assert.True(t.MicrosecondPrecision));
        AssertTransactionsAreOrderedAndDisjoint(tx, s);
    }

    [SharedFixtureFact]
    public void Mysql_8_0_32_compressed_transaction_ends_with_rotate()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mysql-8.0.32-zstd__transaction_compression.000001", tx);

        Assert.Equal(1, s.CompressedTransactionCount);
        Assert.Single(tx, t => t.Compressed);
        Assert.Equal("ROTATE_EVENT", s.LastEventType);
        Assert.NotNull(s.RotatesTo);
        Assert.Equal(s.Size, s.EndPosition);
        Assert.Equal(!s.InUseFlag, s.ClosedCleanly);
    }

    [SharedFixtureFact]
    public void Mysql_8_0_28_gtids_in_use()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mysql-8.0.28-gtid__mysql-enum-string-set.000001", tx);

        Assert.Equal("93e95066-a2f4-11ec-9b69-9657f0ae95e2:1-5", s.ExecutedGtids.ToString());
        Assert.Equal(s.ExecutedGtids, s.PreviousGtids.Union(s.AddedGtids));
        Assert.True(s.InUseFlag);
        Assert.False(s.ClosedCleanly);
        // Observed: an empty PREVIOUS_GTIDS, so the file itself adds 1-5, one GTID per transaction.
        Assert.True(s.PreviousGtids.IsEmpty);
        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"93e95066-a2f4-11ec-9b69-9657f0ae95e2:{n}"), tx.Select(t => t.Gtid));
    }

    [SharedFixtureFact]
    public void Mysql_8_0_22_json_partial_updates_in_use()
    {
        var s = Read("mysql-8.0.22__json.binlog.000001");

        Assert.True(s.InUseFlag);
        Assert.False(s.ClosedCleanly);
        Assert.True(s.EventCounts["PARTIAL_UPDATE_ROWS_EVENT"] > 0);
    }

    [SharedFixtureFact]
    public void Mysql_5_7_40_gtids_without_commit_timestamps()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mysql-5.7.40-gtid__mysql-bin.000080", tx);

        Assert.Equal("58cf6502-63db-11ed-8079-0242ac110002:1-52", s.PreviousGtids.ToString());
        Assert.Equal("58cf6502-63db-11ed-8079-0242ac110002:53-62", s.AddedGtids.ToString());
        Assert.Equal(10, tx.Count);
        // 5.7 GTID events stop after sequence_number (§5): whole seconds from the terminating event.
        Assert.All(tx, t => Assert.False(t.MicrosecondPrecision));
        Assert.All(tx, t => Assert.Equal(0, t.CommitTime.Ticks % TimeSpan.TicksPerSecond));
        AssertTransactionsAreOrderedAndDisjoint(tx, s);
    }

    [SharedFixtureFact]
    public void Mariadb_10_5_15_two_gtids_in_use()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mariadb-10.5.15__mariadb-bin.000001", tx);

        Assert.Equal(BinlogFlavor.MariaDb, s.Flavor);
        Assert.Contains("MariaDB", s.ServerVersion);
        Assert.True(s.InUseFlag);
        Assert.False(s.ClosedCleanly);
        Assert.Equal(["0-1-1", "0-1-2"], tx.Select(t => t.Gtid));
        Assert.Equal("0-1-2", s.ExecutedGtids.ToString());
        Assert.True(s.EventCounts["MARIADB_ANNOTATE_ROWS_EVENT"] > 0);
        Assert.True(s.EventCounts["WRITE_ROWS_EVENT_V1"] > 0);
        Assert.All(tx, t => Assert.False(t.MicrosecondPrecision));
    }

    [SharedFixtureFact]
    public void Mariadb_11_8_5_gtid_list_added_seqs_and_rotate()
    {
        var tx = new List<BinlogTransaction>();
        var s = Read("mariadb-11.8.5__mariadb-repl-bin.000005", tx);

        Assert.Equal(BinlogFlavor.MariaDb, s.Flavor);
        Assert.Equal("0-10-262580", s.PreviousGtids.ToString());
        Assert.Equal("0-10-262581..262667", s.AddedGtids.ToString());
        Assert.Equal("0-10-262667", s.ExecutedGtids.ToString());
        Assert.Equal(262667 - 262581 + 1, s.TransactionCount);
        Assert.Equal("ROTATE_EVENT", s.LastEventType);
        Assert.Equal("mariadb-repl-bin.000006", s.RotatesTo);
        Assert.False(s.InUseFlag);
        Assert.True(s.ClosedCleanly);
        Assert.Equal(348, s.EventCounts["QUERY_EVENT"]);
        Assert.True(s.ExecutedGtids.Contains("0-10-262667"));
        Assert.False(s.PreviousGtids.Contains("0-10-262581"));
        Assert.All(tx, t => Assert.False(t.MicrosecondPrecision));
        AssertTransactionsAreOrderedAndDisjoint(tx, s);
    }

    [SharedFixtureFact]
    public void Mariadb_11_8_5_has_348_queries_with_next_pos_zero_as_the_fact_sheet_says()
    {
        // Independent walk of the raw bytes (by event_size) to cross-check BINLOG-FORMAT.md §1.
        var bytes = File.ReadAllBytes(RepoPaths.SharedFixture("mariadb-11.8.5__mariadb-repl-bin.000005"));
        int queriesWithZeroNextPos = 0, events = 0;
        for (int pos = 4; pos + 19 <= bytes.Length;)
        {
            int size = BitConverter.ToInt32(bytes, pos + 9);
            if (bytes[pos + 4] == 2 && BitConverter.ToUInt32(bytes, pos + 13) == 0)
            {
                queriesWithZeroNextPos++;
            }

            events++;
            pos += size;
        }

        var s = Read("mariadb-11.8.5__mariadb-repl-bin.000005");
        Assert.Equal(348, queriesWithZeroNextPos);
        Assert.Equal(events, s.EventCount);
    }

    private static void AssertTransactionsAreOrderedAndDisjoint(List<BinlogTransaction> tx, BinlogFileSummary s)
    {
        long previousEnd = 4;
        foreach (var t in tx)
        {
            Assert.True(t.StartPosition >= previousEnd, $"transaction at {t.StartPosition} overlaps the one ending at {previousEnd}");
            Assert.True(t.EndPosition > t.StartPosition);
            previousEnd = t.EndPosition;
        }

        Assert.True(previousEnd <= s.EndPosition);
    }
}
