using System.Security.Cryptography;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.Unit.Support;

namespace BinlogArchive.Tests.Unit.Crypto;

public sealed class StreamsAndDetectionTests
{
    [Fact]
    public void HashingStreamsHashPlaintextAndCiphertextInOnePass()
    {
        using var key = MasterKey.Generate();
        var plain = TestData.Compressible(500_000);
        var file = new MemoryStream();
        string plainHash, cipherHash;
        long cipherBytes;
        using (var cipherHashing = HashingStream.Sha256(file, leaveOpen: true))
        {
            var counting = new CountingStream(cipherHashing, leaveOpen: true);
            using (var blar = new BlarWriter(counting, key, new BlarWriterOptions { SourceName = "b.1", ChunkSize = 65536 }))
            using (var zstd = new ZstdCompressStream(blar, level: 3, workers: 2))
            using (var plainHashing = HashingStream.Sha256(zstd))
            {
                plainHashing.Write(plain);
                plainHashing.Dispose();
                plainHash = plainHashing.GetHashHex();
            }

            cipherBytes = counting.BytesWritten;
            cipherHash = cipherHashing.GetHashHex();
        }

        var archive = file.ToArray();
        Assert.Equal(Convert.ToHexString(SHA256.HashData(plain)).ToLowerInvariant(), plainHash);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(archive)).ToLowerInvariant(), cipherHash);
        Assert.Equal(archive.Length, cipherBytes);

        // And back: BLAR -> zstd -> plaintext, hashing while reading.
        using var reader = new BlarReader(new MemoryStream(archive), key);
        using var unzstd = new ZstdDecompressStream(reader);
        using var hashing = HashingStream.Sha256(unzstd);
        hashing.CopyTo(Stream.Null);
        Assert.Equal(plainHash, hashing.GetHashHex());
        Assert.Equal(plain.Length, hashing.BytesHashed);
    }

    [Fact]
    public void DetectsFormatsByFirstBytes()
    {
        Assert.Equal(ArchiveFormat.Blar, ArchiveFormatDetector.Detect("BLAR\x01"u8));
        Assert.Equal(ArchiveFormat.Zstd, ArchiveFormatDetector.Detect([0x28, 0xB5, 0x2F, 0xFD, 0x04]));
        Assert.Equal(ArchiveFormat.OpenSslSalted, ArchiveFormatDetector.Detect("Salted__xxxxxxxx"u8));
        Assert.Equal(ArchiveFormat.Unknown, ArchiveFormatDetector.Detect([0xFE, 0x62, 0x69, 0x6E]));
        Assert.Equal(ArchiveFormat.Unknown, ArchiveFormatDetector.Detect([]));
        Assert.Equal(ArchiveFormat.Zstd, ArchiveFormatDetector.Detect(Compression.ZstdStreamTests.Compress([1, 2, 3], 3, 0)));
    }
}
