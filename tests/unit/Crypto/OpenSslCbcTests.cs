using System.Security.Cryptography;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Tests.Unit.Support;

namespace BinlogArchive.Tests.Unit.Crypto;

public sealed class OpenSslCbcTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _keyPath;

    public OpenSslCbcTests()
    {
        _keyPath = _dir.File("master.key");
        KeyFile.Generate(_keyPath).Dispose();
    }

    public void Dispose() => _dir.Dispose();

    [RequiresToolFact("openssl")]
    public void OurOutputDecryptsWithOpenSsl()
    {
        foreach (var size in new[] { 0, 1, 15, 16, 17, 1_000_003 })
        {
            var plain = TestData.Random(size, seed: size);
            var archive = _dir.File($"ours-{size}.enc");
            var passphrase = KeyFile.ReadOpenSslPassphrase(_keyPath);
            using (var file = File.Create(archive))
            using (var writer = new OpenSslCbcWriter(file, passphrase))
            {
                writer.Write(plain);
            }

            CryptographicOperations.ZeroMemory(passphrase);
            ExternalTool.RunOk("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-iter", "100000",
                "-pass", "file:" + _keyPath, "-in", archive, "-out", _dir.File($"ours-{size}.out"));
            Assert.Equal(plain, File.ReadAllBytes(_dir.File($"ours-{size}.out")));
        }
    }

    [RequiresToolFact("openssl")]
    public void OpenSslOutputDecryptsWithOurReader()
    {
        var plain = TestData.Random(777_777);
        File.WriteAllBytes(_dir.File("plain"), plain);
        ExternalTool.RunOk("openssl", "enc", "-e", "-aes-256-cbc", "-salt", "-pbkdf2", "-iter", "100000",
            "-pass", "file:" + _keyPath, "-in", _dir.File("plain"), "-out", _dir.File("cli.enc"));
        Assert.Equal(ArchiveFormat.OpenSslSalted, ArchiveFormatDetector.Detect(_dir.File("cli.enc")));
        var passphrase = KeyFile.ReadOpenSslPassphrase(_keyPath);
        using var reader = new OpenSslCbcReader(File.OpenRead(_dir.File("cli.enc")), passphrase);
        var output = new MemoryStream();
        reader.CopyTo(output);
        Assert.Equal(plain, output.ToArray());
    }

    [RequiresToolFact("openssl")]
    public void CustomIterationCountInterops()
    {
        var plain = TestData.Random(5000);
        var archive = _dir.File("iter.enc");
        using (var file = File.Create(archive))
        using (var writer = new OpenSslCbcWriter(file, KeyFile.ReadOpenSslPassphrase(_keyPath), iterations: 2000))
        {
            writer.Write(plain);
        }

        ExternalTool.RunOk("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-iter", "2000",
            "-pass", "file:" + _keyPath, "-in", archive, "-out", _dir.File("iter.out"));
        Assert.Equal(plain, File.ReadAllBytes(_dir.File("iter.out")));
    }

    [Fact]
    public void WrongPassphraseFailsWithTypedError()
    {
        var output = new MemoryStream();
        using (var writer = new OpenSslCbcWriter(output, "right"u8, iterations: 1000, leaveOpen: true))
        {
            writer.Write(TestData.Random(10_000));
        }

        var failures = 0;
        for (var i = 0; i < 5; i++)
        {
            // Bad padding shows the wrong key most of the time; CBC cannot guarantee it (hence the HMAC).
            using var reader = new OpenSslCbcReader(new MemoryStream(output.ToArray()), System.Text.Encoding.ASCII.GetBytes($"wrong{i}"), iterations: 1000);
            try
            {
                reader.CopyTo(Stream.Null);
            }
            catch (BinlogArchiveException e) when (e.ErrorId == OpenSslCbcReader.DecryptFailedId)
            {
                failures++;
            }
        }

        Assert.True(failures >= 3);
    }

    [Fact]
    public void NonOpenSslInputIsRejected()
    {
        var error = Assert.Throws<BinlogArchiveException>(() => new OpenSslCbcReader(new MemoryStream("BLAR\x01 not openssl"u8.ToArray()), "p"u8));
        Assert.Equal(OpenSslCbcReader.BadHeaderId, error.ErrorId);
    }

    [Fact]
    public void LegacyFileMacDetectsAnyChange()
    {
        using var key = MasterKey.Generate();
        var output = new MemoryStream();
        using (var writer = new OpenSslCbcWriter(output, "pass"u8, iterations: 1000, leaveOpen: true))
        {
            writer.Write(TestData.Random(5000));
        }

        var bytes = output.ToArray();
        var mac = LegacyFileMac.Compute(key, new MemoryStream(bytes));
        Assert.True(LegacyFileMac.Verify(key, new MemoryStream(bytes), mac));
        bytes[100] ^= 1;
        Assert.False(LegacyFileMac.Verify(key, new MemoryStream(bytes), mac));
        using var other = MasterKey.Generate();
        bytes[100] ^= 1;
        Assert.False(LegacyFileMac.Verify(other, new MemoryStream(bytes), mac));

        // Independent derivation: HKDF-SHA256(master, no salt, "BLAR legacy hmac"), then HMAC-SHA256 over the file.
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes.ToArray(), 32, [], "BLAR legacy hmac"u8.ToArray());
        Assert.Equal(Convert.ToHexString(HMACSHA256.HashData(macKey, bytes)).ToLowerInvariant(), mac);
    }
}
