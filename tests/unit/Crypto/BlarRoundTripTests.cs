using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.Unit.Support;
using static BinlogArchive.Tests.Unit.Crypto.BlarTestKit;

namespace BinlogArchive.Tests.Unit.Crypto;

public sealed class BlarRoundTripTests
{
    public static TheoryData<int, BlarKeyMode> Sizes()
    {
        var data = new TheoryData<int, BlarKeyMode>();
        foreach (var mode in new[] { BlarKeyMode.Direct, BlarKeyMode.Envelope })
        {
            foreach (var size in new[] { 0, 1, SmallChunk - 1, SmallChunk, SmallChunk + 1, (5 * SmallChunk) + 123, 6 * SmallChunk })
            {
                data.Add(size, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RoundTrips(int size, BlarKeyMode mode)
    {
        using var key = MasterKey.Generate();
        var plain = TestData.Random(size, seed: size);
        var archive = Seal(plain, key, mode: mode);
        Assert.Equal(plain, Open(archive, key));

        // Chunk count: full chunks, then one last chunk (possibly empty, possibly full).
        var expectedChunks = size == 0 ? 1 : (size + SmallChunk - 1) / SmallChunk;
        Assert.Equal(HeaderLength(archive) + size + (expectedChunks * 20), archive.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void WriteGranularityDoesNotChangeTheResult(int writeSize)
    {
        using var key = MasterKey.Generate();
        var plain = TestData.Random((3 * SmallChunk) + 5);
        Assert.Equal(plain, Open(Seal(plain, key, writeSize: writeSize), key));
    }

    [Fact]
    public void DefaultChunkSizeIsOneMiBAndLargeFilesRoundTrip()
    {
        using var key = MasterKey.Generate();
        var plain = TestData.Random((3 << 20) + 7);
        var output = new MemoryStream();
        using (var writer = new BlarWriter(output, key, new BlarWriterOptions { SourceName = "binlog.000001" }, leaveOpen: true))
        {
            writer.Write(plain);
            Assert.Equal(1 << 20, writer.Header.ChunkSize);
        }

        Assert.Equal(plain, Open(output.ToArray(), key));
    }

    [Fact]
    public void HeaderIsReadableWithoutAKey()
    {
        using var key = MasterKey.Generate();
        var archive = Seal([1, 2, 3], key, chunkSize: 8192, sourceName: "mariadb-bin.000007");
        var header = BlarHeader.ReadFrom(new MemoryStream(archive));
        Assert.Equal("mariadb-bin.000007", header.SourceName);
        Assert.Equal(BlarCompression.Zstd, header.Compression);
        Assert.Equal(BlarCipher.Aes256GcmHkdfSha256, header.Cipher);
        Assert.Equal(8192, header.ChunkSize);
        Assert.Equal(key.Id, header.KeyId);
        Assert.Equal(32, header.Salt.Length);
        Assert.Equal(BlarKeyMode.Envelope, header.KeyMode);
        Assert.Equal(60, header.WrappedDek.Length);
    }

    [Fact]
    public void EachArchiveGetsFreshSaltNonceAndDek()
    {
        using var key = MasterKey.Generate();
        var a = BlarHeader.ReadFrom(new MemoryStream(Seal([1], key)));
        var b = BlarHeader.ReadFrom(new MemoryStream(Seal([1], key)));
        Assert.False(a.Salt.Span.SequenceEqual(b.Salt.Span));
        Assert.False(a.NoncePrefix.Span.SequenceEqual(b.NoncePrefix.Span));
        Assert.False(a.WrappedDek.Span.SequenceEqual(b.WrappedDek.Span));
    }

    [Fact]
    public void KeyRingOpensArchivesWrittenBeforeRotation()
    {
        using var oldKey = MasterKey.Generate();
        using var newKey = MasterKey.Generate();
        var plainOld = TestData.Random(10_000, 1);
        var plainNew = TestData.Random(10_000, 2);
        var beforeRotation = Seal(plainOld, oldKey, mode: BlarKeyMode.Direct);
        var ring = new KeyRing(newKey, oldKey);
        var output = new MemoryStream();
        using (var writer = new BlarWriter(output, ring, new BlarWriterOptions { SourceName = "b.2", ChunkSize = SmallChunk }, leaveOpen: true))
        {
            writer.Write(plainNew);
            Assert.Equal(newKey.Id, writer.Header.KeyId);
        }

        Assert.Equal(plainOld, Open(beforeRotation, newKey, oldKey));
        Assert.Equal(plainNew, Open(output.ToArray(), newKey, oldKey));
        var error = OpenFails(beforeRotation, newKey);
        Assert.Equal(BlarFormatException.WrongKey, error.ErrorId);
        Assert.Equal(oldKey.Id, error.RequiredKeyId);
        Assert.Contains(oldKey.Id, error.Message);
    }

    [Fact]
    public void RewrapChangesOnlyTheEnvelope()
    {
        using var oldKey = MasterKey.Generate();
        using var newKey = MasterKey.Generate();
        var plain = TestData.Random(20_000);
        var archive = Seal(plain, oldKey);
        var output = new MemoryStream();
        var header = BlarRewrap.Rewrap(new MemoryStream(archive), output, new KeyRing(oldKey), newKey);
        var rewrapped = output.ToArray();

        Assert.Equal(newKey.Id, header.KeyId);
        Assert.Equal(plain, Open(rewrapped, newKey));
        Assert.Equal(BlarFormatException.WrongKey, OpenFails(rewrapped, oldKey).ErrorId);

        // Bound part and chunks are byte-identical; sidecar MAC keys (from the same DEK and salt) agree.
        var oldHeader = BlarHeader.ReadFrom(new MemoryStream(archive));
        Assert.Equal(archive[..oldHeader.BoundPart.Length], rewrapped[..oldHeader.BoundPart.Length]);
        Assert.Equal(archive[oldHeader.Length..], rewrapped[header.Length..]);
        string?[] values = [.. Enumerable.Range(0, 16).Select(i => $"v{i}")];
        using var macOld = SidecarMacKey.ForArchive(oldHeader, new KeyRing(oldKey));
        using var macNew = SidecarMacKey.ForArchive(header, new KeyRing(newKey));
        Assert.Equal(macOld.Compute(values), macNew.Compute(values));
    }

    [Fact]
    public void RewrapRefusesDirectMode()
    {
        using var key = MasterKey.Generate();
        var archive = Seal([1, 2], key, mode: BlarKeyMode.Direct);
        var error = Assert.Throws<BinlogArchive.Core.Errors.BinlogArchiveException>(
            () => BlarRewrap.Rewrap(new MemoryStream(archive), new MemoryStream(), new KeyRing(key), key));
        Assert.Equal("BlarRewrapDirectMode", error.ErrorId);
    }

    [Fact]
    public void ChunkSizeLimitsAreEnforced()
    {
        using var key = MasterKey.Generate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlarWriter(new MemoryStream(), key, new BlarWriterOptions { SourceName = "x", ChunkSize = 4095 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlarWriter(new MemoryStream(), key, new BlarWriterOptions { SourceName = "x", ChunkSize = (64 << 20) + 1 }));
    }

    [Fact]
    public void FailedInnerWriteDoesNotSealAShorterArchive()
    {
        using var key = MasterKey.Generate();
        var inner = new FailingStream(failAfter: 3);
        var writer = new BlarWriter(inner, key, new BlarWriterOptions { SourceName = "x", ChunkSize = SmallChunk });
        Assert.Throws<IOException>(() => writer.Write(new byte[10 * SmallChunk]));
        writer.Dispose();
        Assert.Equal(3, inner.Writes);
    }

    private sealed class FailingStream(int failAfter) : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Writes == failAfter)
            {
                throw new IOException("disk full");
            }

            Writes++;
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
    }
}
