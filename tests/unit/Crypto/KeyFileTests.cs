using System.Text;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Tests.Unit.Support;

namespace BinlogArchive.Tests.Unit.Crypto;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void GenerateCreatesMode0600HexKeyThatLoadsBack()
    {
        var path = _dir.File("master.key");
        using var generated = KeyFile.Generate(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.Matches("^[0-9a-f]{64}\n$", text);
        using var loaded = KeyFile.Load(path);
        Assert.Equal(generated.Id, loaded.Id);
        Assert.Equal(Convert.FromHexString(text.Trim()), loaded.Bytes.ToArray());
    }

    [Fact]
    public void GenerateRefusesToOverwrite()
    {
        var path = _dir.File("existing.key");
        File.WriteAllText(path, "keep me");
        var error = Assert.Throws<BinlogArchiveException>(() => KeyFile.Generate(path));
        Assert.Equal(KeyFile.ExistsId, error.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void AcceptsRawHexAndBase64WithWhitespace()
    {
        var key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var expectedId = KeyId.Compute(key);
        foreach (var content in new[]
        {
            key,
            Encoding.ASCII.GetBytes(Convert.ToHexString(key) + "\n"),
            Encoding.ASCII.GetBytes("  " + Convert.ToHexString(key).ToLowerInvariant() + "\r\n"),
            Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"),
        })
        {
            var path = WriteKey(content);
            using var loaded = KeyFile.Load(path);
            Assert.Equal(expectedId, loaded.Id);
            using var parsed = KeyFile.Parse(content);
            Assert.Equal(expectedId, parsed.Id);
        }
    }

    [Fact]
    public void RawKeyOfWhitespaceBytesIsStillRaw()
    {
        var key = Enumerable.Repeat((byte)' ', 32).ToArray();
        using var loaded = KeyFile.Parse(key);
        Assert.Equal(KeyId.Compute(key), loaded.Id);
    }

    [Fact]
    public void GroupReadableFileIsRefusedUnlessForced()
    {
        var path = WriteKey(Encoding.ASCII.GetBytes(new string('a', 64)));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var error = Assert.Throws<BinlogArchiveException>(() => KeyFile.Load(path));
        Assert.Equal(KeyFile.InsecurePermissionsId, error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Kind);
        Assert.Contains("chmod 600", error.RecommendedAction);

        using var forced = KeyFile.Load(path, force: true, out var warning);
        Assert.NotNull(warning);
        Assert.Contains("0640", warning);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.OtherWrite);
        Assert.Equal(KeyFile.InsecurePermissionsId, Assert.Throws<BinlogArchiveException>(() => KeyFile.Load(path)).ErrorId);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\n")]
    [InlineData("0123456789abcdef0123456789abcdef\n")]
    [InlineData("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0=\n")]
    [InlineData("sekrit-passphrase-not-a-key\n")]
    [InlineData("")]
    public void MalformedKeysAreRejectedWithoutEchoingContent(string content)
    {
        var path = WriteKey(Encoding.ASCII.GetBytes(content));
        var error = Assert.Throws<BinlogArchiveException>(() => KeyFile.Load(path));
        Assert.Equal(KeyFile.InvalidId, error.ErrorId);
        var body = content.Trim();
        if (body.Length > 0)
        {
            foreach (var text in new[] { error.Message, error.RecommendedAction ?? string.Empty, error.ToString() })
            {
                Assert.DoesNotContain(body[..Math.Min(12, body.Length)], text);
            }
        }
    }

    [Fact]
    public void MissingFileIsNotFound()
    {
        var error = Assert.Throws<BinlogArchiveException>(() => KeyFile.Load(_dir.File("nope.key")));
        Assert.Equal(KeyFile.NotFoundId, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
    }

    [Fact]
    public void KeyIdIsStableAndDoesNotRevealTheKey()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        using var a = new MasterKey(bytes);
        using var b = new MasterKey(bytes);
        using var c = MasterKey.Generate();
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.StartsWith("blk1-", a.Id);
        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        Assert.DoesNotContain(a.Id[5..], hex);
        Assert.DoesNotContain(hex[..8], a.ToString());
        Assert.Equal($"MasterKey({a.Id})", a.ToString());
    }

    [Fact]
    public void DisposeZeroesTheKey()
    {
        var key = MasterKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Bytes.ToArray());
    }

    [Fact]
    public void OpenSslPassphraseIsTheFirstLine()
    {
        var path = _dir.File("p.key");
        using (KeyFile.Generate(path))
        {
        }

        var passphrase = KeyFile.ReadOpenSslPassphrase(path);
        Assert.Equal(File.ReadAllText(path).TrimEnd('\n'), Encoding.ASCII.GetString(passphrase));
        Assert.Equal("abc\r"u8.ToArray(), KeyFile.OpenSslPassphrase("abc\r\nsecond line"u8));
    }

    private string WriteKey(byte[] content)
    {
        var path = _dir.File(Guid.NewGuid().ToString("n") + ".key");
        using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(content);
        }

        return path;
    }
}
