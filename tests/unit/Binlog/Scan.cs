using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>Feeds bytes to a <see cref="BinlogScanner"/> in different chunkings.</summary>
internal static class Scan
{
    public static BinlogFileSummary Whole(string name, byte[] bytes, out List<BinlogTransaction> tx) =>
        Chunked(name, bytes, Math.Max(1, bytes.Length), out tx);

    public static BinlogFileSummary Whole(byte[] bytes) => Whole("test.000001", bytes, out _);

    public static BinlogFileSummary Chunked(string name, byte[] bytes, int chunk, out List<BinlogTransaction> tx)
    {
        var list = new List<BinlogTransaction>();
        var scanner = new BinlogScanner(name, new BinlogScanOptions { OnTransaction = list.Add });
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            scanner.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        tx = list;
        return scanner.Complete();
    }

    public static BinlogFileSummary RandomChunks(string name, byte[] bytes, Random random, out List<BinlogTransaction> tx)
    {
        var list = new List<BinlogTransaction>();
        var scanner = new BinlogScanner(name, new BinlogScanOptions { OnTransaction = list.Add });
        for (int i = 0; i < bytes.Length;)
        {
            int n = Math.Min(bytes.Length - i, random.Next(4) == 0 ? random.Next(1, 100_000) : random.Next(0, 40));
            scanner.Append(bytes.AsSpan(i, n));
            i += n;
        }

        tx = list;
        return scanner.Complete();
    }
}
