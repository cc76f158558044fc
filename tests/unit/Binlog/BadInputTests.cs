using System.Buffers.Binary;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>Damaged or foreign input: the right Code at the right offset, never an exception.</summary>
public sealed class BadInputTests
{
    private static (byte[] Bytes, long Query, long Xid) SmallFile(bool inUse = false)
    {
        var b = new BinlogBuilder("8.4.0", inUse: inUse);
        b.PreviousGtids();
        b.AnonymousGtid(1764504313117585);
        long query = b.Query("CREATE TABLE t (id int)");
        b.AnonymousGtid(1764504313117586);
        b.Query("BEGIN");
        long xid = b.Xid();
        b.Stop();
        return (b.ToArray(), query, xid);
    }

    private static BinlogReadIssue SingleError(byte[] bytes)
    {
        var s = Scan.Whole(bytes);
        return Assert.Single(s.Errors);
    }

    [Fact]
    public void Empty_file()
    {
        var e = SingleError([]);
        Assert.Equal(("EmptyFile", 0L), (e.Code, e.Offset));
    }

    [Fact]
    public void Wrong_magic()
    {
        var bytes = SmallFile().Bytes;
        bytes[1] = (byte)'X';
        var e = SingleError(bytes);
        Assert.Equal(("BadMagic", 0L), (e.Code, e.Offset));
        Assert.Equal("BadMagic", SingleError([0xFE, 0x62]).Code);
    }

    [Fact]
    public void Encrypted_mysql_magic()
    {
        var bytes = new byte[600];
        bytes[0] = 0xFD; bytes[1] = 0x62; bytes[2] = 0x69; bytes[3] = 0x6E; bytes[4] = 1;
        var e = SingleError(bytes);
        Assert.Equal(("EncryptedBinlog", 0L), (e.Code, e.Offset));
        Assert.Contains("encrypted binlog, unsupported", e.Message);
    }

    [Fact]
    public void Mariadb_start_encryption_stops_with_encrypted_binlog()
    {
        var b = new BinlogBuilder("10.11.6-MariaDB-log");
        b.GtidList();
        long enc = b.Event(164, 1_700_000_000, [1, 1, 0, 0, 0, .. new byte[12]]);
        b.Event(99, 0, new byte[40]);   // looks like garbage, as encrypted events would
        var e = SingleError(b.ToArray());
        Assert.Equal(("EncryptedBinlog", enc), (e.Code, e.Offset));
    }

    [Fact]
    public void First_event_not_an_fde()
    {
        var bytes = SmallFile().Bytes;
        bytes[4 + 4] = 2;
        var e = SingleError(bytes);
        Assert.Equal(("BadFormatDescription", 4L), (e.Code, e.Offset));
        Assert.Equal("BadFormatDescription", SingleError([0xFE, 0x62, 0x69, 0x6E]).Code);
    }

    [Fact]
    public void Truncated_event_in_a_closed_file_is_an_error()
    {
        var (bytes, _, xid) = SmallFile();
        var cut = bytes.AsSpan(0, (int)xid + 25).ToArray();   // inside the XID event
        var s = Scan.Whole(cut);
        var e = Assert.Single(s.Errors);
        Assert.Equal(("EventBeyondEof", xid), (e.Code, e.Offset));
        Assert.True(s.TruncatedTail);
        Assert.Equal(xid, s.EndPosition);
        Assert.False(s.ClosedCleanly);
    }

    [Fact]
    public void Truncated_event_in_an_in_use_file_is_a_warning()
    {
        var (bytes, _, xid) = SmallFile(inUse: true);
        var cut = bytes.AsSpan(0, (int)xid + 25).ToArray();
        var s = Scan.Whole(cut);
        Assert.Empty(s.Errors);
        Assert.Contains(s.Warnings, w => w.Code == "EventBeyondEof" && w.Offset == xid);
        Assert.True(s.TruncatedTail);
        Assert.Equal(xid, s.EndPosition);
    }

    [Fact]
    public void Truncated_header()
    {
        var (bytes, _, xid) = SmallFile();
        var s = Scan.Whole(bytes.AsSpan(0, (int)xid + 5).ToArray());
        var e = Assert.Single(s.Errors);
        Assert.Equal(("TruncatedEvent", xid), (e.Code, e.Offset));
        Assert.True(s.TruncatedTail);
    }

    [Fact]
    public void Event_size_beyond_the_file()
    {
        var (bytes, query, _) = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)query + 9), 1_000_000);
        var e = SingleError(bytes);
        Assert.Equal(("EventBeyondEof", query), (e.Code, e.Offset));
    }

    [Fact]
    public void Event_size_below_the_header()
    {
        var (bytes, query, _) = SmallFile();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)query + 9), 18);
        var e = SingleError(bytes);
        Assert.Equal(("EventTooSmall", query), (e.Code, e.Offset));

        // With CRC32 on, 19..22 cannot hold a header and a checksum either (§11).
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)query + 9), 22);
        Assert.Equal("EventTooSmall", SingleError(bytes).Code);
    }

    [Fact]
    public void Crc_mismatch_stops_at_the_damaged_event()
    {
        var (bytes, query, _) = SmallFile();
        bytes[query + 40] ^= 0x20;
        var s = Scan.Whole(bytes);
        var e = Assert.Single(s.Errors);
        Assert.Equal(("CrcMismatch", query), (e.Code, e.Offset));
        Assert.Equal(query, s.EndPosition);
        Assert.Throws<BinlogFormatException>(() => s.ThrowIfInvalid());

        var lenient = new BinlogScanner("x", new BinlogScanOptions { VerifyChecksums = false });
        lenient.Append(bytes);
        Assert.Empty(lenient.Complete().Errors);
    }

    [Fact]
    public void Crc_mismatch_in_the_fde()
    {
        var (bytes, _, _) = SmallFile();
        bytes[25] ^= 0x01;   // server_version text
        var e = SingleError(bytes);
        Assert.Equal(("CrcMismatch", 4L), (e.Code, e.Offset));
    }

    [Fact]
    public void Unknown_event_type_is_skipped_counted_and_warned_once()
    {
        var b = new BinlogBuilder("8.4.0");
        b.PreviousGtids();
        long unknown = b.Event(120, 1_700_000_000, new byte[33]);
        b.Event(120, 1_700_000_000, new byte[3]);
        b.AnonymousGtid(1764504313117585);
        b.Query("CREATE TABLE t (id int)");
        b.Stop();

        var s = Scan.Whole(b.ToArray());

        Assert.Empty(s.Errors);
        Assert.Equal(2, s.UnknownEventCount);
        Assert.Equal(2, s.EventCounts["UNKNOWN_EVENT_120"]);
        var w = Assert.Single(s.Warnings);
        Assert.Equal(("UnknownEventType", unknown), (w.Code, w.Offset));
        Assert.Equal(1, s.TransactionCount);
        Assert.True(s.ClosedCleanly);
    }

    [Fact]
    public void Mariadb_event_type_beyond_a_mysql_fde_table_is_unknown()
    {
        var b = new BinlogBuilder("8.4.0");
        b.Event(162, 1_700_000_000, new byte[19]);
        var s = Scan.Whole(b.ToArray());
        Assert.Equal(1, s.UnknownEventCount);
        Assert.True(s.AddedGtids.IsEmpty);
    }

    [Fact]
    public void ThrowIfInvalid_names_the_file_and_offset()
    {
        var (bytes, query, _) = SmallFile();
        bytes[query + 40] ^= 0x20;
        var scanner = new BinlogScanner("binlog.000042");
        scanner.Append(bytes);
        var ex = Assert.Throws<BinlogFormatException>(() => scanner.Complete().ThrowIfInvalid());
        Assert.Equal("CrcMismatch", ex.ErrorId);
        Assert.Equal(query, ex.Offset);
        Assert.Contains("binlog.000042", ex.Message);
        Assert.Contains(query.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Missing_file_throws_binlog_not_found()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "binlog.000001");
        var ex = Assert.Throws<BinlogArchiveException>(() => BinlogFileReader.Read(path));
        Assert.Equal("BinlogNotFound", ex.ErrorId);
        Assert.Contains(path, ex.Message);
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public async Task File_reader_matches_the_scanner()
    {
        var (bytes, _, _) = SmallFile();
        var path = Path.Combine(Path.GetTempPath(), "reader-test-" + Guid.NewGuid() + ".000001");
        File.WriteAllBytes(path, bytes);
        try
        {
            var viaFile = BinlogFileReader.Read(path);
            var viaAsync = await BinlogFileReader.ReadAsync(path);
            var viaScanner = Scan.Whole(Path.GetFileName(path), bytes, out _);
            Assert.Equal(SummaryText.Of(viaScanner), SummaryText.Of(viaFile));
            Assert.Equal(SummaryText.Of(viaScanner), SummaryText.Of(viaAsync));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Garbage_never_throws_under_any_chunking()
    {
        var (bytes, _, _) = SmallFile();
        var random = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var damaged = (byte[])bytes.Clone();
            for (int k = 0; k < 3; k++)
            {
                damaged[random.Next(4, damaged.Length)] = (byte)random.Next(256);
            }

            var whole = SummaryText.Of(Scan.Whole("g", damaged, out _));
            var chunked = SummaryText.Of(Scan.RandomChunks("g", damaged, random, out _));
            Assert.Equal(whole, chunked);
        }
    }
}
