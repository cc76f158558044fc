using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Tests.Unit.Crypto;

public sealed class SidecarMacTests
{
    private static readonly byte[] Root = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Salt = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();

    private static string?[] Values() =>
    [
        "mysql-bin.000042", "42", "1048576", "ab12", "1", "3e11fa47-71ca-11e1-9e33-c80aa9429562",
        "2026-11-21T10:00:00.000000Z", "2026-11-21T10:15:00.000000Z", "4", "1048576",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100", "3e11fa47-71ca-11e1-9e33-c80aa9429562:101-200",
        "mysql-bin.000042.zst.enc", "300000", "cd34", "blk1-0123456789abcdef",
    ];

    [Fact]
    public void ChangesWhenAnyValueChanges()
    {
        var baseline = SidecarMac.Compute(Root, Salt, Values());
        Assert.Matches("^[0-9a-f]{64}$", baseline);
        var seen = new HashSet<string> { baseline };
        for (var i = 0; i < SidecarMac.FieldCount; i++)
        {
            var edited = Values();
            edited[i] = edited[i] + "0";
            Assert.True(seen.Add(SidecarMac.Compute(Root, Salt, edited)), $"value {i} is not covered");

            var nulled = Values();
            nulled[i] = null;
            Assert.NotEqual(baseline, SidecarMac.Compute(Root, Salt, nulled));
        }
    }

    [Fact]
    public void ValuesCannotBeShiftedAcrossLines()
    {
        var a = Values();
        var b = Values();
        a[0] = "x\ny";
        b[0] = "x";
        b[1] = "y\n" + b[1];
        Assert.NotEqual(SidecarMac.Compute(Root, Salt, a), SidecarMac.Compute(Root, Salt, Values()));
    }

    [Fact]
    public void DependsOnKeyAndSalt()
    {
        var baseline = SidecarMac.Compute(Root, Salt, Values());
        var otherRoot = (byte[])Root.Clone();
        otherRoot[0] ^= 1;
        var otherSalt = (byte[])Salt.Clone();
        otherSalt[31] ^= 1;
        Assert.NotEqual(baseline, SidecarMac.Compute(otherRoot, Salt, Values()));
        Assert.NotEqual(baseline, SidecarMac.Compute(Root, otherSalt, Values()));
    }

    [Fact]
    public void VerifyAcceptsOnlyTheRightMac()
    {
        var mac = SidecarMac.Compute(Root, Salt, Values());
        Assert.True(SidecarMac.Verify(Root, Salt, Values(), mac));
        Assert.True(SidecarMac.Verify(Root, Salt, Values(), mac.ToUpperInvariant()));
        Assert.False(SidecarMac.Verify(Root, Salt, Values(), mac[..^1] + (mac[^1] == '0' ? '1' : '0')));
        Assert.False(SidecarMac.Verify(Root, Salt, Values(), mac[..10]));
        Assert.False(SidecarMac.Verify(Root, Salt, Values(), null));
        var edited = Values();
        edited[13] = "300001";
        Assert.False(SidecarMac.Verify(Root, Salt, edited, mac));
    }

    [Fact]
    public void RequiresAllSixteenValues()
    {
        Assert.Throws<ArgumentException>(() => SidecarMac.Compute(Root, Salt, Values()[..15]));
    }

    [Fact]
    public void WriterAndReaderAgreeOnTheMacKey()
    {
        using var key = MasterKey.Generate();
        var output = new MemoryStream();
        SidecarMacKey writerMac;
        using (var writer = new BlarWriter(output, key, new BlarWriterOptions { SourceName = "b.1", ChunkSize = 4096 }, leaveOpen: true))
        {
            writer.Write(new byte[100]);
            writerMac = writer.CreateSidecarMacKey();
        }

        using (writerMac)
        using (var reader = new BlarReader(new MemoryStream(output.ToArray()), key))
        using (var readerMac = reader.CreateSidecarMacKey())
        {
            var mac = writerMac.Compute(Values());
            Assert.True(readerMac.Verify(Values(), mac));
        }
    }
}
