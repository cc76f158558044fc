using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Tests.Unit.Crypto;

internal static class BlarTestKit
{
    public const int SmallChunk = 4096;

    public static byte[] Seal(byte[] plain, MasterKey key, int chunkSize = SmallChunk, BlarKeyMode mode = BlarKeyMode.Envelope,
        string sourceName = "mysql-bin.000042", int writeSize = 1000)
    {
        var output = new MemoryStream();
        using (var writer = new BlarWriter(output, key, new BlarWriterOptions { SourceName = sourceName, ChunkSize = chunkSize, KeyMode = mode }, leaveOpen: true))
        {
            for (var i = 0; i < plain.Length; i += writeSize)
            {
                writer.Write(plain, i, Math.Min(writeSize, plain.Length - i));
            }
        }

        return output.ToArray();
    }

    public static byte[] Open(byte[] archive, params MasterKey[] keys)
    {
        using var reader = new BlarReader(new MemoryStream(archive), new KeyRing(keys));
        var output = new MemoryStream();
        reader.CopyTo(output);
        Assert.True(reader.IsComplete);
        return output.ToArray();
    }

    public static BlarFormatException OpenFails(byte[] archive, params MasterKey[] keys) =>
        Assert.Throws<BlarFormatException>(() => Open(archive, keys));

    public static int HeaderLength(byte[] archive) => BlarHeader.ReadFrom(new MemoryStream(archive)).Length;

    /// <summary>Offset of chunk i's length field, for archives whose chunks before i are full.</summary>
    public static int ChunkOffset(byte[] archive, int index, int chunkSize = SmallChunk) =>
        HeaderLength(archive) + (index * (4 + chunkSize + 16));
}
