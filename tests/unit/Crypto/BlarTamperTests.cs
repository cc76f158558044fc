using System.Buffers.Binary;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.Unit.Support;
using static BinlogArchive.Tests.Unit.Crypto.BlarTestKit;

namespace BinlogArchive.Tests.Unit.Crypto;

/// <summary>Every modification of an archive is detected, and named.</summary>
public sealed class BlarTamperTests : IDisposable
{
    private const int Chunks = 4;
    private readonly MasterKey _key = MasterKey.Generate();
    private readonly byte[] _plain = TestData.Random((3 * SmallChunk) + 1000);

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(BlarKeyMode.Direct)]
    [InlineData(BlarKeyMode.Envelope)]
    public void EverySingleBitFlipIsDetected(BlarKeyMode mode)
    {
        var archive = Seal(_plain, _key, mode: mode);
        var header = HeaderLength(archive);
        var rng = new Random(1234);

        // Every header byte, every length field, and random bytes across bodies and tags.
        var offsets = Enumerable.Range(0, header + 4).ToList();
        for (var i = 0; i < Chunks; i++)
        {
            var at = ChunkOffset(archive, i);
            offsets.AddRange([at, at + 1, at + 2, at + 3, at + 4, Math.Min(at + 4 + SmallChunk + 15, archive.Length - 1)]);
        }

        offsets.AddRange(Enumerable.Range(0, 300).Select(_ => rng.Next(header, archive.Length)));
        offsets.AddRange(Enumerable.Range(archive.Length - 16, 16));
        foreach (var offset in offsets.Distinct())
        {
            var tampered = (byte[])archive.Clone();
            tampered[offset] ^= (byte)(1 << rng.Next(8));
            var error = Record.Exception(() => Open(tampered, _key));
            Assert.True(error is BlarFormatException, $"flip at offset {offset} (header {header}) was not detected: {error?.GetType().Name ?? "no error"}");
        }
    }

    [Fact]
    public void HeaderFieldFlipsHaveTheRightErrorIds()
    {
        var archive = Seal(_plain, _key, mode: BlarKeyMode.Envelope);
        var h = BlarHeader.ReadFrom(new MemoryStream(archive));
        var nameAt = BlarFormatFixedBound;
        var envAt = h.BoundPart.Length;

        Assert.Equal(BlarFormatException.BadMagic, Flip(archive, 0).ErrorId);
        Assert.Equal(BlarFormatException.BadMagic, Flip(archive, 3).ErrorId);
        Assert.Equal(BlarFormatException.UnsupportedVersion, Flip(archive, 4).ErrorId);
        Assert.Equal(BlarFormatException.UnknownAlgorithm, Set(archive, 5, 9).ErrorId);
        Assert.Equal(BlarFormatException.UnknownAlgorithm, Set(archive, 6, 2).ErrorId);
        Assert.Equal(BlarFormatException.UnknownAlgorithm, Set(archive, 6, 0).ErrorId);

        // Valid but different bound values change the file key: chunk 0 fails.
        AssertChunk(Set(archive, 5, 0), 0);
        AssertChunk(Flip(archive, 11), 0);                  // salt
        AssertChunk(Flip(archive, 11 + 32), 0);             // nonce prefix
        AssertChunk(Flip(archive, nameAt), 0);              // source name
        AssertChunk(Flip(archive, 9), 0);                   // chunk size 4096 -> 4352, still in range

        // Envelope: key id edits name a key we do not hold; wrapped DEK edits fail the unwrap.
        var wrongKey = Flip(archive, envAt + 4 + 2 + 6);
        Assert.Equal(BlarFormatException.WrongKey, wrongKey.ErrorId);
        Assert.NotNull(wrongKey.RequiredKeyId);
        Assert.Equal(BlarFormatException.TamperedEnvelope, Flip(archive, h.Length - 1).ErrorId);
        Assert.Equal(BlarFormatException.TamperedEnvelope, Flip(archive, h.Length - 40).ErrorId);
        Assert.Equal(BlarFormatException.CorruptHeader, Flip(archive, envAt + 3).ErrorId);
    }

    [Fact]
    public void EditedSourceNameAndChunkSizeAreDetected()
    {
        var archive = Seal(_plain, _key, mode: BlarKeyMode.Direct, sourceName: "mysql-bin.000042");
        var renamed = (byte[])archive.Clone();
        var at = archive.AsSpan().IndexOf("000042"u8);
        "000043"u8.CopyTo(renamed.AsSpan(at));
        AssertChunk(Record.Exception(() => Open(renamed, _key)) as BlarFormatException, 0);

        var resized = (byte[])archive.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(resized.AsSpan(7), 8192);
        AssertChunk(Record.Exception(() => Open(resized, _key)) as BlarFormatException, 0);

        var tooSmall = (byte[])archive.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(tooSmall.AsSpan(7), 1024);
        Assert.Equal(BlarFormatException.CorruptHeader, OpenFails(tooSmall, _key).ErrorId);
    }

    [Fact]
    public void ChunkBodyTagAndLengthFlipsNameTheChunk()
    {
        var archive = Seal(_plain, _key);
        for (var i = 0; i < Chunks; i++)
        {
            var at = ChunkOffset(archive, i);
            AssertChunk(Flip(archive, at + 4 + 100), i);            // body
            var tagAt = i < Chunks - 1 ? at + 4 + SmallChunk : archive.Length - 16;
            AssertChunk(Flip(archive, tagAt + 5), i);               // tag
            if (i < Chunks - 1)
            {
                AssertChunk(Flip(archive, at), i);                  // length field: > chunk size
                AssertChunk(Flip(archive, at + 3), i);              // length field: 4097
            }
        }
    }

    [Fact]
    public void LastChunkLengthFieldEditsAreDetected()
    {
        var archive = Seal(_plain, _key);
        var at = ChunkOffset(archive, Chunks - 1);
        foreach (var bit in Enumerable.Range(0, 32))
        {
            var tampered = (byte[])archive.Clone();
            tampered[at + (bit / 8)] ^= (byte)(1 << (bit % 8));
            var error = OpenFails(tampered, _key);
            Assert.Contains(error.ErrorId, new[] { BlarFormatException.TamperedChunk, BlarFormatException.Truncated, BlarFormatException.TrailingData });
        }
    }

    [Fact]
    public void TruncationAtAndBetweenChunkBoundariesIsDetected()
    {
        var archive = Seal(_plain, _key);
        var header = HeaderLength(archive);
        var cuts = new List<int> { 1, 3, 10, header - 1, header, header + 2, header + 4, header + 100 };
        for (var i = 1; i < Chunks; i++)
        {
            var boundary = ChunkOffset(archive, i);
            cuts.AddRange([boundary, boundary - 1, boundary - 16, boundary + 2, boundary + 4, boundary + 50]);
        }

        cuts.AddRange([archive.Length - 1, archive.Length - 16]);
        foreach (var cut in cuts)
        {
            var error = OpenFails(archive[..cut], _key);
            Assert.True(error.ErrorId == BlarFormatException.Truncated, $"cut at {cut}: {error.ErrorId}");
        }
    }

    [Fact]
    public void TruncationAtBoundaryOfExactMultipleIsDetected()
    {
        // 3 full chunks: the last one is full, so a cut after chunk 1 leaves a full non-final chunk at EOF.
        var archive = Seal(TestData.Random(3 * SmallChunk), _key);
        var error = OpenFails(archive[..ChunkOffset(archive, 2)], _key);
        Assert.Equal(BlarFormatException.Truncated, error.ErrorId);
    }

    [Fact]
    public void SwappedChunksAreDetected()
    {
        var archive = Seal(_plain, _key);
        var a = ChunkOffset(archive, 1);
        var b = ChunkOffset(archive, 2);
        var size = 4 + SmallChunk + 16;
        var swapped = (byte[])archive.Clone();
        archive.AsSpan(a, size).CopyTo(swapped.AsSpan(b));
        archive.AsSpan(b, size).CopyTo(swapped.AsSpan(a));
        AssertChunk(OpenFails(swapped, _key), 1);
    }

    [Fact]
    public void ChunkSplicedFromAnotherArchiveIsDetected()
    {
        var archive = Seal(_plain, _key);
        var other = Seal(_plain, _key);
        var at = ChunkOffset(archive, 1);
        var spliced = (byte[])archive.Clone();
        other.AsSpan(at, 4 + SmallChunk + 16).CopyTo(spliced.AsSpan(at));
        AssertChunk(OpenFails(spliced, _key), 1);
    }

    [Fact]
    public void DroppedFinalChunkIsTruncated()
    {
        var archive = Seal(_plain, _key);
        Assert.Equal(BlarFormatException.Truncated, OpenFails(archive[..ChunkOffset(archive, Chunks - 1)], _key).ErrorId);
    }

    [Fact]
    public void AppendedBytesAreTrailingData()
    {
        var archive = Seal(_plain, _key);
        var lastChunk = archive[ChunkOffset(archive, Chunks - 1)..];
        foreach (var extra in new[] { new byte[] { 0 }, new byte[4], new byte[100], lastChunk })
        {
            var error = OpenFails([.. archive, .. extra], _key);
            Assert.Equal(BlarFormatException.TrailingData, error.ErrorId);
        }

        // A full final chunk followed by more data.
        var exact = Seal(TestData.Random(2 * SmallChunk), _key);
        Assert.Equal(BlarFormatException.TrailingData, OpenFails([.. exact, 1, 2, 3, 4, 5], _key).ErrorId);
    }

    [Fact]
    public void WrongKeyNamesTheNeededKeyId()
    {
        using var other = MasterKey.Generate();
        foreach (var mode in new[] { BlarKeyMode.Direct, BlarKeyMode.Envelope })
        {
            var error = OpenFails(Seal(_plain, _key, mode: mode), other);
            Assert.Equal(BlarFormatException.WrongKey, error.ErrorId);
            Assert.Equal(_key.Id, error.RequiredKeyId);
            Assert.Contains(_key.Id, error.Message);
            Assert.Contains(other.Id, error.Message);
        }
    }

    [Fact]
    public void EmptyAndForeignFilesAreNamed()
    {
        Assert.Equal(BlarFormatException.EmptyFile, OpenFails([], _key).ErrorId);
        Assert.Equal(BlarFormatException.BadMagic, OpenFails("Salted__12345678abcdefgh"u8.ToArray(), _key).ErrorId);
        Assert.Equal(BlarFormatException.BadMagic, OpenFails([0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3], _key).ErrorId);
        Assert.Equal(BlarFormatException.Truncated, OpenFails("BLA"u8.ToArray(), _key).ErrorId);
        Assert.Equal(BlarFormatException.UnsupportedVersion, OpenFails("BLAR\x02"u8.ToArray(), _key).ErrorId);
    }

    private const int BlarFormatFixedBound = 4 + 1 + 1 + 1 + 4 + 32 + 7 + 2;

    private BlarFormatException Flip(byte[] archive, int offset, int bit = 0)
    {
        var tampered = (byte[])archive.Clone();
        tampered[offset] ^= (byte)(1 << bit);
        return OpenFails(tampered, _key);
    }

    private BlarFormatException Set(byte[] archive, int offset, byte value)
    {
        var tampered = (byte[])archive.Clone();
        tampered[offset] = value;
        return OpenFails(tampered, _key);
    }

    private static void AssertChunk(BlarFormatException? error, int index)
    {
        Assert.NotNull(error);
        Assert.Equal(BlarFormatException.TamperedChunk, error.ErrorId);
        Assert.Equal(index, error.ChunkIndex);
        Assert.Contains($"chunk {index}", error.Message);
    }
}
