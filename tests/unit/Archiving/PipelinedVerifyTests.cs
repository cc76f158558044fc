using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Tests.Unit.Archiving;

/// <summary>
/// Verify decodes BLAR1 archives on three threads (decrypt → decompress → hash). These pin that a
/// stage's failure is neither swallowed nor replaced: the verdict carries the same ErrorId and
/// message as the sequential read (BlarReader under ZstdDecompressStream on one thread) of the same
/// damaged file. Small chunks, so the damage sits in the middle of many chunks and several
/// plaintext buffers are already in flight when it is met.
/// </summary>
public sealed class PipelinedVerifyTests
{
    private const int ChunkSize = 4096;
    private const int Frame = 4 + ChunkSize + 16;
    private static readonly string Source = Path.Combine(RepoPaths.TestFixtures, "mariadb", "mysql-bin.000004");

    [Theory]
    [InlineData("flip-middle-chunk", BlarFormatException.TamperedChunk)]
    [InlineData("cut-inside-middle-chunk", BlarFormatException.Truncated)]
    [InlineData("cut-at-middle-chunk-boundary", BlarFormatException.Truncated)]
    [InlineData("drop-middle-chunk", BlarFormatException.TamperedChunk)]
    [InlineData("append-after-last-chunk", BlarFormatException.TrailingData)]
    public void Damage_is_reported_as_the_sequential_read_reports_it(string damage, string errorId)
    {
        using var tmp = new TempDirectory();
        using var key = MasterKey.Generate();
        var archive = ProtectWithSmallChunks(tmp, key);
        var bytes = File.ReadAllBytes(archive);
        var header = BlarHeader.ReadFrom(new MemoryStream(bytes)).Length;
        var chunks = (bytes.Length - header) / Frame;
        Assert.True(chunks > 20, $"the fixture should span many chunks, has {chunks}");
        var middle = header + (chunks / 2 * Frame);
        bytes = damage switch
        {
            "flip-middle-chunk" => Flip(bytes, middle + 4 + 100),
            "cut-inside-middle-chunk" => bytes[..(middle + 1000)],
            "cut-at-middle-chunk-boundary" => bytes[..middle],
            "drop-middle-chunk" => [.. bytes[..middle], .. bytes[(middle + Frame)..]],
            "append-after-last-chunk" => [.. bytes, 0, 0, 0, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(archive, bytes);
        var sequential = SequentialFailure(archive, key);

        var verdict = new ArchiveVerifier(new KeyRing(key)).Verify(archive);

        Assert.False(verdict.Valid);
        Assert.Equal(errorId, sequential.ErrorId);
        Assert.Equal(sequential.ErrorId, verdict.ErrorId);
        Assert.Equal(sequential.Message, verdict.Error);
    }

    [Fact]
    public void Undamaged_archive_verifies_and_cancellation_surfaces_as_itself()
    {
        using var tmp = new TempDirectory();
        using var key = MasterKey.Generate();
        var archive = ProtectWithSmallChunks(tmp, key);
        var verifier = new ArchiveVerifier(new KeyRing(key));

        Assert.True(verifier.Verify(archive).Valid);
        Assert.Throws<OperationCanceledException>(() => verifier.Verify(archive, new CancellationToken(canceled: true)));
        Assert.True(verifier.Verify(archive).Valid);
    }

    private static string ProtectWithSmallChunks(TempDirectory tmp, MasterKey key)
    {
        var protector = new BinlogProtector(new KeyRing(key),
            new ProtectOptions { OutputDirectory = tmp.Combine("out"), CompressionLevel = 1, ChunkSize = ChunkSize });
        return protector.Protect(Source).FullName;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0x01;
        return bytes;
    }

    /// <summary>The error of the pre-pipeline decode, on one thread.</summary>
    private static BinlogArchiveException SequentialFailure(string archive, MasterKey key)
    {
        var path = Path.GetFullPath(archive);
        return Assert.ThrowsAny<BinlogArchiveException>(() =>
        {
            using var file = File.OpenRead(path);
            using var blar = new BlarReader(file, new KeyRing(key), target: path);
            using var zstd = new ZstdDecompressStream(blar);
            zstd.CopyTo(Stream.Null);
            blar.VerifyToEnd();
        });
    }
}
