using System.Text;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Tests.Unit.Crypto;

public sealed class MasterKeySetTests
{
    [Fact]
    public void Keys_from_every_source_form_one_ring_in_order_with_the_first_sources_passphrase()
    {
        using var tmp = new TempDirectory();
        var raw = new byte[32];
        raw[0] = 7;
        var filePath = tmp.Combine("older.key");
        using var fileKey = KeyFile.Generate(filePath);
        using var third = MasterKey.Generate();
        var content = Encoding.ASCII.GetBytes(Convert.ToBase64String(third.Bytes) + "\n");
        var warnings = new List<string>();

        using var set = new MasterKeySet();
        set.AddRaw(raw);
        set.AddFile(filePath, allowInsecure: false, warnings.Add);
        set.AddContent(content);

        using var rawKey = new MasterKey(raw);
        Assert.Equal(3, set.Count);
        Assert.Equal(rawKey.Id, set.Ring.Current.Id);
        Assert.True(set.Ring.TryGet(fileKey.Id, out _));
        Assert.True(set.Ring.TryGet(third.Id, out _));
        Assert.Equal(Encoding.ASCII.GetBytes(Convert.ToHexString(raw).ToLowerInvariant()), set.OpenSslPassphrase);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_loose_key_file_is_refused_unless_allowed_and_then_warned_about()
    {
        using var tmp = new TempDirectory();
        var path = tmp.Combine("loose.key");
        KeyFile.Generate(path).Dispose();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warnings = new List<string>();

        using var refused = new MasterKeySet();
        var ex = Assert.Throws<Core.Errors.BinlogArchiveException>(() => refused.AddFile(path, allowInsecure: false, warnings.Add));
        using var allowed = new MasterKeySet();
        allowed.AddFile(path, allowInsecure: true, warnings.Add);

        Assert.Equal(KeyFile.InsecurePermissionsId, ex.ErrorId);
        Assert.Equal(0, refused.Count);
        Assert.Equal(1, allowed.Count);
        Assert.Single(warnings);
        Assert.Equal(File.ReadAllText(path).TrimEnd('\n'), Encoding.ASCII.GetString(allowed.OpenSslPassphrase!));
    }

    [Fact]
    public void Dispose_clears_the_passphrase()
    {
        var set = new MasterKeySet();
        set.AddRaw(new byte[32]);
        var passphrase = set.OpenSslPassphrase!;

        set.Dispose();

        Assert.All(passphrase, b => Assert.Equal(0, b));
    }
}
