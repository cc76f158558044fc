using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>MySQL 8.0/8.4 and MariaDB files built byte by byte from the documented layouts.</summary>
public sealed class SyntheticBinlogTests
{
    private const string U1 = "3E11FA47-71CA-11E1-9E33-C80AA9429562";
    private const string U2 = "00000000-0000-0000-0000-0000000000aa";
    private const string U3 = "55778904-0299-11f1-b1b8-4ef0c4956feb";

    // 2025-11-30T12:05:13.117585Z, the value decoded in BINLOG-FORMAT.md §5.
    private const long CommitMicros = 1764504313117585;

    [Fact]
    public void Mysql_8_4_gtid_file_with_ddl_dml_compressed_and_rotate()
    {
        var b = new BinlogBuilder("8.4.0");
        b.PreviousGtids((U1, [(1, 5), (7, 9)]), (U2, [(1, 3)]));
        long ddl = b.Gtid(U1, 10, CommitMicros);
        b.Query("CREATE TABLE t (id int)");
        long dml = b.Gtid(U1, 11, CommitMicros + 1);
        b.Query("BEGIN");
        b.TableMap();
        b.WriteRows(100);
        b.Xid(ts: 1_700_000_200);
        long dmlEnd = b.Position;
        long compressed = b.Gtid(U2, 4, CommitMicros + 2);
        b.TransactionPayload(60);
        long compressedEnd = b.Position;
        b.Rotate("binlog.000008");

        var s = Scan.Whole("binlog.000007", b.ToArray(), out var tx);

        Assert.Empty(s.Errors);
        Assert.Empty(s.Warnings);
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,00000000-0000-0000-0000-0000000000aa:1-3".Split(',').Order(StringComparer.Ordinal),
            s.PreviousGtids.ToString().Split(','));
        Assert.Equal("00000000-0000-0000-0000-0000000000aa:4,3e11fa47-71ca-11e1-9e33-c80aa9429562:10-11", s.AddedGtids.ToString());
        Assert.Equal("00000000-0000-0000-0000-0000000000aa:1-4,3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-11", s.ExecutedGtids.ToString());
        Assert.Equal(3, s.TransactionCount);
        Assert.Equal(1, s.CompressedTransactionCount);
        Assert.True(s.ClosedCleanly);
        Assert.Equal("binlog.000008", s.RotatesTo);
        Assert.Equal(b.Position, s.EndPosition);

        Assert.Equal(3, tx.Count);
        Assert.Equal(new BinlogTransaction("3e11fa47-71ca-11e1-9e33-c80aa9429562:10", ddl, dml,
            new DateTimeOffset(2025, 11, 30, 12, 5, 13, TimeSpan.Zero).AddTicks(1175850), true, false), tx[0]);
        Assert.Equal(dml, tx[1].StartPosition);
        Assert.Equal(dmlEnd, tx[1].EndPosition);
        Assert.Equal(tx[0].CommitTime.AddTicks(10), tx[1].CommitTime);   // 1 µs later: microseconds survive
        Assert.Equal(new BinlogTransaction("00000000-0000-0000-0000-0000000000aa:4", compressed, compressedEnd,
            tx[0].CommitTime.AddTicks(20), true, true), tx[2]);
    }

    [Fact]
    public void Original_commit_timestamp_is_skipped_and_the_immediate_one_used()
    {
        var b = new BinlogBuilder("8.0.44");
        b.PreviousGtids();
        b.Gtid(U1, 1, CommitMicros, originalMicros: CommitMicros - 5_000_000);
        b.Query("BEGIN");
        b.Xid();

        var s = Scan.Whole("r.000001", b.ToArray(), out var tx);

        Assert.Empty(s.Errors);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(CommitMicros * 10), Assert.Single(tx).CommitTime);
    }

    [Fact]
    public void Tagged_gtids_and_tagged_previous_gtids()
    {
        var b = new BinlogBuilder("9.6.0");
        b.TaggedPreviousGtids((U3, "", [(1, 13)]), (U3, "mytag", [(1, 2)]));
        long first = b.TaggedGtid(U3, "mytag", 3, CommitMicros);
        b.Query("BEGIN");
        b.Xid();
        b.TaggedGtid(U3, "", 14, CommitMicros + 7);
        b.Query("DROP TABLE t");
        b.Stop();

        var s = Scan.Whole("binlog.000002", b.ToArray(), out var tx);

        Assert.Empty(s.Errors);
        Assert.Equal("55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2", s.PreviousGtids.ToString());
        Assert.Equal("55778904-0299-11f1-b1b8-4ef0c4956feb:14:mytag:3", s.AddedGtids.ToString());
        Assert.Equal("55778904-0299-11f1-b1b8-4ef0c4956feb:1-14:mytag:1-3", s.ExecutedGtids.ToString());
        Assert.Equal(["55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3", "55778904-0299-11f1-b1b8-4ef0c4956feb:14"], tx.Select(t => t.Gtid));
        Assert.Equal(first, tx[0].StartPosition);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks((CommitMicros + 7) * 10), tx[1].CommitTime);
        Assert.True(s.ClosedCleanly);
        Assert.Equal(2, s.EventCounts["GTID_TAGGED_LOG_EVENT"]);
    }

    [Fact]
    public void Checksums_off_still_verify_the_fde_crc_and_5_7_gtids_use_whole_seconds()
    {
        var b = new BinlogBuilder("5.7.20-log", checksumAlg: 0);
        b.PreviousGtids((U1, [(1, 1)]));
        b.Event(33, 1_700_000_100, [0, .. Convert.FromHexString(U1.Replace("-", "")), 2, 0, 0, 0, 0, 0, 0, 0, 2, .. new byte[16]]);
        b.Query("BEGIN");
        b.Xid(ts: 1_700_000_123);

        var bytes = b.ToArray();
        var s = Scan.Whole("m.000001", bytes, out var tx);

        Assert.Empty(s.Errors);
        Assert.Equal(BinlogChecksumAlgorithm.Off, s.ChecksumAlgorithm);
        var t = Assert.Single(tx);
        Assert.False(t.MicrosecondPrecision);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_123), t.CommitTime);
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2", s.ExecutedGtids.ToString());

        // With alg 0 only the FDE carries a CRC (§3.2): corrupting it is detected, corrupting a later event is not.
        var badFde = (byte[])bytes.Clone();
        badFde[30] ^= 0x01;
        Assert.Equal("CrcMismatch", Assert.Single(Scan.Whole(badFde).Errors).Code);
        var badQuery = (byte[])bytes.Clone();
        badQuery[^30] ^= 0x01;
        Assert.Empty(Scan.Whole(badQuery).Errors);
    }

    [Fact]
    public void In_use_fde_crc_is_computed_with_the_flag_clear()
    {
        var b = new BinlogBuilder("8.4.0", inUse: true);
        b.PreviousGtids();
        var s = Scan.Whole(b.ToArray());

        Assert.Empty(s.Errors);
        Assert.True(s.InUseFlag);
        Assert.False(s.ClosedCleanly);
    }

    [Fact]
    public void Old_server_without_checksum_support_has_no_alg_byte()
    {
        var b = new BinlogBuilder("5.5.60-log", checksumAlg: null);
        b.Query("BEGIN");
        b.Query("INSERT INTO t VALUES (1)");
        b.Xid();
        b.Query("CREATE TABLE u (id int)");
        b.Stop();

        var s = Scan.Whole("old.000001", b.ToArray(), out var tx);

        Assert.Empty(s.Errors);
        Assert.Equal(BinlogChecksumAlgorithm.NotAware, s.ChecksumAlgorithm);
        Assert.Equal(2, tx.Count);
        Assert.All(tx, t => Assert.Null(t.Gtid));
        Assert.True(s.ClosedCleanly);
    }

    [Fact]
    public void Mariadb_groups_standalone_ddl_xid_commit_and_chain_continuity()
    {
        var file1 = new BinlogBuilder("10.11.6-MariaDB-log", serverId: 10);
        file1.GtidList((0, 10, 100), (1, 20, 7));
        file1.BinlogCheckpoint("mariadb-bin.000001");
        long ddl = file1.MariaDbGtid(0, 101, flags2: 0x01 | 0x20, ts: 1_700_000_101);  // FL_STANDALONE | FL_DDL
        file1.Query("CREATE TABLE t (id int)", ts: 1_700_000_101);
        long dml = file1.MariaDbGtid(0, 102, flags2: 0x0C, ts: 1_700_000_102);
        file1.TableMap(ts: 0);
        file1.WriteRows(50, ts: 0);
        file1.Xid(ts: 1_700_000_105);
        long stmt = file1.MariaDbGtid(1, 8, flags2: 0x08);
        file1.Query("INSERT INTO m VALUES (1)", ts: 0);
        file1.Query("COMMIT", ts: 1_700_000_107);
        file1.Rotate("mariadb-bin.000002");

        var s1 = Scan.Whole("mariadb-bin.000001", file1.ToArray(), out var tx);

        Assert.Empty(s1.Errors);
        Assert.Equal(BinlogFlavor.MariaDb, s1.Flavor);
        Assert.Equal("0-10-100,1-20-7", s1.PreviousGtids.ToString());
        Assert.Equal("0-10-101..102,1-10-8..8", s1.AddedGtids.ToString());
        Assert.Equal("0-10-102,1-10-8", s1.ExecutedGtids.ToString());
        Assert.Equal(["0-10-101", "0-10-102", "1-10-8"], tx.Select(t => t.Gtid));
        Assert.Equal(ddl, tx[0].StartPosition);
        Assert.Equal(dml, tx[0].EndPosition);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_105), tx[1].CommitTime);
        Assert.Equal(stmt, tx[1].EndPosition);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_107), tx[2].CommitTime);
        Assert.All(tx, t => Assert.False(t.MicrosecondPrecision));
        Assert.True(s1.ClosedCleanly);

        // The next file's GTID_LIST is the binlog state: one entry per (domain, server).
        var file2 = new BinlogBuilder("10.11.6-MariaDB-log", serverId: 10);
        file2.GtidList((0, 10, 102), (1, 20, 7), (1, 10, 8));
        var s2 = Scan.Whole(file2.ToArray());
        Assert.Equal(s1.ExecutedGtids, s2.PreviousGtids);
    }

    [Fact]
    public void Mysql_chain_continuity_executed_equals_next_previous()
    {
        var file1 = new BinlogBuilder();
        file1.PreviousGtids((U1, [(1, 5)]));
        file1.Gtid(U1, 6, CommitMicros);
        file1.Query("CREATE DATABASE d");
        file1.Rotate("binlog.000002");
        var file2 = new BinlogBuilder();
        file2.PreviousGtids((U1, [(1, 6)]));

        Assert.Equal(Scan.Whole(file1.ToArray()).ExecutedGtids, Scan.Whole(file2.ToArray()).PreviousGtids);
    }

    [Fact]
    public void Rollback_to_savepoint_stays_inside_the_transaction()
    {
        var b = new BinlogBuilder();
        b.PreviousGtids();
        b.Gtid(U1, 1, CommitMicros);
        b.Query("BEGIN");
        b.Query("SAVEPOINT a");
        b.Query("ROLLBACK TO a");
        long xid = b.Xid();

        var s = Scan.Whole("x.000001", b.ToArray(), out var tx);

        Assert.Equal(xid + 31, Assert.Single(tx).EndPosition);
        Assert.Equal(1, s.TransactionCount);
    }

    [Fact]
    public void Transaction_cut_by_the_end_of_an_in_use_file_is_not_counted()
    {
        var b = new BinlogBuilder(inUse: true);
        b.PreviousGtids();
        b.Gtid(U1, 1, CommitMicros);
        b.Query("BEGIN");
        b.TableMap();

        var s = Scan.Whole("x.000001", b.ToArray(), out var tx);

        Assert.Empty(tx);
        Assert.True(s.AddedGtids.IsEmpty);
        Assert.Empty(s.Errors);
        Assert.Contains(s.Warnings, w => w.Code == "UnterminatedTransaction");
    }
}
