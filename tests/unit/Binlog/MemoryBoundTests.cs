using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

public sealed class MemoryBoundTests
{
    [Fact]
    public void A_50_MB_row_event_fed_in_64_KiB_chunks_is_never_buffered()
    {
        var b = new BinlogBuilder("8.4.0");
        b.PreviousGtids();
        b.AnonymousGtid(1764504313117585);
        b.Query("BEGIN");
        b.TableMap();
        long rows = b.WriteRows(50 << 20);
        b.Xid();
        b.Stop();
        var bytes = b.ToArray();

        var scanner = new BinlogScanner("big.000001");
        for (int i = 0; i < bytes.Length; i += 64 << 10)
        {
            scanner.Append(bytes.AsSpan(i, Math.Min(64 << 10, bytes.Length - i)));
        }

        var s = scanner.Complete();
        Assert.Empty(s.Errors);
        Assert.Equal(1, s.TransactionCount);
        Assert.InRange(scanner.BufferedBytesHighWater, 0, 128 << 10);

        // The CRC is still verified incrementally: damage deep inside the big event is found.
        bytes[rows + (30 << 20)] ^= 0x01;
        var damaged = new BinlogScanner("big.000001");
        for (int i = 0; i < bytes.Length; i += 64 << 10)
        {
            damaged.Append(bytes.AsSpan(i, Math.Min(64 << 10, bytes.Length - i)));
        }

        var e = Assert.Single(damaged.Complete().Errors);
        Assert.Equal(("CrcMismatch", rows), (e.Code, e.Offset));
        Assert.InRange(damaged.BufferedBytesHighWater, 0, 128 << 10);
    }
}
