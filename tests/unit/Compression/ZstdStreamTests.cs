using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Errors;
using BinlogArchive.Tests.Unit.Support;

namespace BinlogArchive.Tests.Unit.Compression;

public sealed class ZstdStreamTests
{
    public static TheoryData<int, bool, int> RoundTripCases => new()
    {
        { 0, true, 0 },
        { 1, true, 0 },
        { (1 << 20) + 1, true, 2 },
        { (1 << 20) + 1, false, 0 },
        { 6 * 1024 * 1024, true, 2 },
        { 3 * 1024 * 1024, false, 2 },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void RoundTrips(int size, bool compressible, int workers)
    {
        var data = compressible ? TestData.Compressible(size) : TestData.Random(size);
        var compressed = Compress(data, level: 3, workers: workers);
        Assert.Equal(data, Decompress(compressed));
        if (compressible && size > 1000)
        {
            Assert.True(compressed.Length < data.Length / 3, $"compressible data shrank only to {compressed.Length}");
        }
    }

    [Fact]
    public void WritesInSmallPiecesRoundTrip()
    {
        var data = TestData.Compressible(300_000);
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressStream(output, level: 5, workers: 2, leaveOpen: true))
        {
            for (var i = 0; i < data.Length; i += 777)
            {
                zstd.Write(data, i, Math.Min(777, data.Length - i));
            }
        }

        Assert.Equal(data, Decompress(output.ToArray()));
    }

    [Fact]
    public void LevelIsApplied()
    {
        var data = TestData.Compressible(2 * 1024 * 1024);
        var fast = Compress(data, level: 1, workers: 0);
        var strong = Compress(data, level: 19, workers: 0);
        Assert.True(strong.Length < fast.Length * 0.9, $"level 19 ({strong.Length}) should beat level 1 ({fast.Length})");
    }

    [Fact]
    public void WorkersAndLevelAreSetOnTheContext()
    {
        using var zstd = new ZstdCompressStream(Stream.Null, level: 7, workers: 2, leaveOpen: true);
        Assert.Equal(7, zstd.Level);
        Assert.Equal(2, zstd.Workers);
        Assert.Equal(7, zstd.GetParameter(ZstdCParameter.CompressionLevel));
        Assert.Equal(2, zstd.GetParameter(ZstdCParameter.NbWorkers));
        Assert.Equal(1, zstd.GetParameter(ZstdCParameter.ChecksumFlag));
    }

    [Fact]
    public void JobsAreOneWindowAtFastLevelsAndTwoWindowsWithAQuarterOverlapAtSlowOnes()
    {
        // Level 3's window is 2 MiB (zstd's parameter table); zstd would cut 8 MiB jobs.
        using (var fast = new ZstdCompressStream(Stream.Null, level: 3, workers: 2, leaveOpen: true))
        {
            Assert.Equal(2 << 20, fast.GetParameter(ZstdCParameter.JobSize));
        }

        // Level 19 (btultra2, 8 MiB window): two-window jobs re-reading a quarter window, where
        // zstd would cut 32 MiB jobs re-reading a whole window.
        using (var slow = new ZstdCompressStream(Stream.Null, level: 19, workers: 2, leaveOpen: true))
        {
            Assert.Equal(16 << 20, slow.GetParameter(ZstdCParameter.JobSize));
            Assert.Equal(7, slow.GetParameter(ZstdCParameter.OverlapLog));
        }

        // Without workers there are no jobs to shape.
        using (var single = new ZstdCompressStream(Stream.Null, level: 3, workers: 0, leaveOpen: true))
        {
            Assert.Equal(0, single.GetParameter(ZstdCParameter.JobSize));
        }

        // A small file pledges its size, so zstd picks a smaller window; jobs never go under 1 MiB.
        using var small = new ZstdCompressStream(Stream.Null, level: 3, workers: 2, pledgedSize: 100_000, leaveOpen: true);
        Assert.Equal(1 << 20, small.GetParameter(ZstdCParameter.JobSize));
    }

    [Fact]
    public void DefaultsAreLevel19AndAllCores()
    {
        using var zstd = new ZstdCompressStream(Stream.Null, leaveOpen: true);
        Assert.Equal(19, zstd.Level);
        Assert.Equal(Environment.ProcessorCount, zstd.Workers);
    }

    [Fact]
    public void FrameHeaderCarriesChecksumAndPledgedSize()
    {
        var data = TestData.Compressible(100_000);
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressStream(output, level: 3, workers: 0, pledgedSize: data.Length, leaveOpen: true))
        {
            zstd.Write(data);
        }

        var frame = output.ToArray();
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, frame[..4]);

        // RFC 8878 §3.1.1.1.1 Frame_Header_Descriptor: bit 2 content checksum, bits 7-6 FCS field size.
        var descriptor = frame[4];
        Assert.True((descriptor & 0x04) != 0, "content checksum flag missing");
        Assert.True((descriptor & 0xC0) != 0 || (descriptor & 0x20) != 0, "frame content size missing");
    }

    [Fact]
    public void WrongPledgedSizeFails()
    {
        var output = new MemoryStream();
        var zstd = new ZstdCompressStream(output, level: 3, workers: 0, pledgedSize: 10, leaveOpen: true);
        zstd.Write(new byte[5]);
        var error = Assert.Throws<ZstdException>(() => zstd.Finish());
        Assert.Equal(ZstdException.ErrorIdGeneric, error.ErrorId);
    }

    [Fact]
    public void TruncatedInputIsIncomplete()
    {
        var compressed = Compress(TestData.Random(200_000), level: 3, workers: 0);
        foreach (var cut in new[] { compressed.Length - 1, compressed.Length - 4, compressed.Length / 2, 5 })
        {
            var error = Assert.Throws<ZstdException>(() => Decompress(compressed[..cut]));
            Assert.Equal(ZstdException.StreamIncompleteId, error.ErrorId);
            Assert.Contains("incomplete", error.Message);
        }
    }

    [Fact]
    public void EmptyInputIsIncomplete()
    {
        var error = Assert.Throws<ZstdException>(() => Decompress([]));
        Assert.Equal(ZstdException.StreamIncompleteId, error.ErrorId);
    }

    [Fact]
    public void CorruptInputFailsWithZstdError()
    {
        var compressed = Compress(TestData.Compressible(200_000), level: 3, workers: 0);
        compressed[compressed.Length / 2] ^= 0x55;
        var error = Assert.Throws<ZstdException>(() => Decompress(compressed));
        Assert.Equal(ZstdException.ErrorIdGeneric, error.ErrorId);
    }

    [Fact]
    public void ConcatenatedFramesDecodeAsOneStream()
    {
        var a = TestData.Compressible(70_000, seed: 5);
        var b = TestData.Random(50_000, seed: 6);
        var both = Compress(a, 3, 0).Concat(Compress(b, 9, 2)).ToArray();
        Assert.Equal(a.Concat(b).ToArray(), Decompress(both));
    }

    [Fact]
    public void MissingLibraryIsNotInstalledError()
    {
        var error = Assert.Throws<ZstdException>(() => ZstdLibrary.Load(["libzstd-does-not-exist.so.9"]));
        Assert.Equal("ZstdLibraryMissing", error.ErrorId);
        Assert.Equal(ErrorKind.NotInstalled, error.Kind);
        Assert.Contains("libzstd1", error.RecommendedAction);
        Assert.Contains("libzstd", error.RecommendedAction);
    }

    [Fact]
    public void LevelOutOfRangeIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressStream(Stream.Null, level: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressStream(Stream.Null, level: 23));
    }

    [RequiresToolFact("zstd")]
    public void OurOutputPassesZstdTestAndDecompressesWithCli()
    {
        using var dir = new TempDir();
        var data = TestData.Compressible(3 * 1024 * 1024 + 17);
        var archive = dir.File("ours.zst");
        using (var file = File.Create(archive))
        using (var zstd = new ZstdCompressStream(file, level: 3, workers: 2, pledgedSize: data.Length))
        {
            zstd.Write(data);
        }

        ExternalTool.RunOk("zstd", "-q", "-t", archive);
        ExternalTool.RunOk("zstd", "-q", "-d", "-f", archive, "-o", dir.File("ours.out"));
        Assert.Equal(data, File.ReadAllBytes(dir.File("ours.out")));

        // Checksum present: corrupting a content byte must make `zstd -t` fail.
        var bytes = File.ReadAllBytes(archive);
        bytes[^2] ^= 0xFF;
        File.WriteAllBytes(dir.File("bad.zst"), bytes);
        Assert.NotEqual(0, ExternalTool.Run("zstd", "-q", "-t", dir.File("bad.zst")).ExitCode);
    }

    [RequiresToolFact("zstd")]
    public void CliOutputDecompressesWithOurReader()
    {
        using var dir = new TempDir();
        var data = TestData.Compressible(2 * 1024 * 1024 + 3);
        File.WriteAllBytes(dir.File("plain"), data);
        ExternalTool.RunOk("zstd", "-q", "-5", "-T2", dir.File("plain"), "-o", dir.File("cli.zst"));
        using var file = File.OpenRead(dir.File("cli.zst"));
        using var zstd = new ZstdDecompressStream(file);
        var output = new MemoryStream();
        zstd.CopyTo(output);
        Assert.Equal(data, output.ToArray());
    }

    [RequiresToolFact("zstd")]
    public void OutputSizeMatchesCliAtSameLevel()
    {
        using var dir = new TempDir();
        var data = TestData.Compressible(4 * 1024 * 1024);
        File.WriteAllBytes(dir.File("plain"), data);
        ExternalTool.RunOk("zstd", "-q", "-3", "-T2", dir.File("plain"), "-o", dir.File("cli.zst"));
        var cliSize = new FileInfo(dir.File("cli.zst")).Length;
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressStream(output, level: 3, workers: 2, pledgedSize: data.Length, leaveOpen: true))
        {
            zstd.Write(data);
        }

        var ratio = (double)output.Length / cliSize;
        Assert.InRange(ratio, 0.99, 1.01);
    }

    internal static byte[] Compress(byte[] data, int level, int workers)
    {
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressStream(output, level, workers, leaveOpen: true))
        {
            zstd.Write(data);
        }

        return output.ToArray();
    }

    internal static byte[] Decompress(byte[] compressed)
    {
        using var zstd = new ZstdDecompressStream(new MemoryStream(compressed));
        var output = new MemoryStream();
        var buffer = new byte[100_003];
        int read;
        while ((read = zstd.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}
