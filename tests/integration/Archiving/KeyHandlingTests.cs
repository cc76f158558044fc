using System.Text;
using System.Text.Json;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// Master keys through the CLI: keygen's file, refusing readable key files, the fd and stdin
/// sources, rotation, and the key never showing up in any output or archive file.
/// </summary>
public sealed class KeyHandlingTests
{
    private const string Name = "mysql-bin.000002";

    [Fact]
    public void Keygen_writes_a_0600_hex_key_prints_only_its_id_and_never_overwrites()
    {
        using var tmp = new TempDirectory("keys");
        var path = tmp.Combine("master.key");

        var r = ArchiveKit.Cli("keygen", "--out", path, "--json");

        ArchiveKit.AssertExit(0, r);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.Matches("^[0-9a-f]{64}\n$", text);
        using var key = ArchiveKit.LoadKey(path);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal(key.Id, doc.RootElement.GetProperty("key_id").GetString());
        Assert.DoesNotContain(text.Trim(), r.StdOut + r.StdErr, StringComparison.OrdinalIgnoreCase);

        var again = ArchiveKit.Cli("keygen", "--out", path);

        ArchiveKit.AssertExit(1, again);
        Assert.Contains("error [KeyFileExists]", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void Key_file_readable_by_others_is_refused_unless_allowed_with_a_warning()
    {
        using var tmp = new TempDirectory("keys");
        var key = ArchiveKit.NewKey(tmp);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var outDir = tmp.Combine("out");

        var refused = ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)]);
        var refusedVerify = ArchiveKit.Cli("verify", "--key-file", key, ArchiveKit.ArchiveFor(outDir, Name));

        ArchiveKit.AssertExit(1, refused);
        Assert.Contains("error [KeyFileInsecurePermissions]", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("0644", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-key-file", refused.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "nothing is written when the key is refused");
        ArchiveKit.AssertExit(1, refusedVerify);
        Assert.Contains("error [KeyFileInsecurePermissions]", refusedVerify.StdErr, StringComparison.Ordinal);

        var allowed = ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)], "--allow-insecure-key-file");

        ArchiveKit.AssertExit(0, allowed);
        Assert.Contains("warning [KeyFileInsecurePermissions]", allowed.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(ArchiveKit.SidecarFor(ArchiveKit.ArchiveFor(outDir, Name))));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("pipe")]
    public void Key_fd_passes_the_key_through_an_inherited_descriptor(string kind)
    {
        using var tmp = new TempDirectory("keys");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        // bash opens fd 3 (on the file, or on a pipe fed by cat) and the CLI inherits it.
        var redirect = kind == "file" ? $"3<'{key}'" : $"3< <(cat '{key}')";
        var script = $"exec {CliRunner.ShellCommand} protect --key-fd 3 --output-dir '{outDir}' " +
            $"{string.Join(' ', ArchiveKit.FastOptions)} '{ArchiveKit.Fixture(Name)}' {redirect}";

        var r = ToolProcess.Run("/bin/bash", ["-c", script]);

        Assert.True(r.ExitCode == 0, r.StandardError);
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
        var verifyByFd = ToolProcess.Run("/bin/bash", ["-c", $"exec {CliRunner.ShellCommand} verify --key-fd 3 '{archive}' {redirect}"]);
        Assert.True(verifyByFd.ExitCode == 0, verifyByFd.StandardError);
    }

    [Fact]
    public void Key_file_dash_reads_the_key_from_stdin()
    {
        using var tmp = new TempDirectory("keys");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");

        var r = CliRunner.Run(["protect", "--key-file", "-", "--output-dir", outDir, .. ArchiveKit.FastOptions, ArchiveKit.Fixture(Name)],
            env: null, stdin: File.ReadAllText(key));

        ArchiveKit.AssertExit(0, r);
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, ArchiveKit.ArchiveFor(outDir, Name)));
    }

    [Fact]
    public void After_a_rotation_old_archives_still_verify_and_are_not_redone()
    {
        using var tmp = new TempDirectory("keys");
        var oldKey = ArchiveKit.NewKey(tmp, "old.key");
        var newKey = ArchiveKit.NewKey(tmp, "new.key");
        using var oldMaster = ArchiveKit.LoadKey(oldKey);
        using var newMaster = ArchiveKit.LoadKey(newKey);
        var outDir = tmp.Combine("out");
        var oldArchive = ArchiveKit.ArchiveFor(outDir, Name);
        var newArchive = ArchiveKit.ArchiveFor(outDir, "mysql-bin.000003");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(oldKey, outDir, [ArchiveKit.Fixture(Name)]));
        var oldIdentity = ArchiveKit.Identity(oldArchive);

        var rotated = CliRunner.Run(["protect", "--key-file", newKey, "--key-file", oldKey, "--output-dir", outDir, .. ArchiveKit.FastOptions, "--json",
            ArchiveKit.Fixture(Name), ArchiveKit.Fixture("mysql-bin.000003")], env: null);

        ArchiveKit.AssertExit(0, rotated);
        using (var doc = JsonDocument.Parse(rotated.StdOut))
        {
            Assert.Equal("already_archived", doc.RootElement[0].GetProperty("outcome").GetString());
            Assert.Equal(oldMaster.Id, doc.RootElement[0].GetProperty("key_id").GetString());
            Assert.Equal("created", doc.RootElement[1].GetProperty("outcome").GetString());
            Assert.Equal(newMaster.Id, doc.RootElement[1].GetProperty("key_id").GetString());
        }

        Assert.Equal(oldIdentity, ArchiveKit.Identity(oldArchive));
        var both = ArchiveKit.Cli("verify", "--key-file", newKey, "--key-file", oldKey, oldArchive, newArchive);
        ArchiveKit.AssertExit(0, both);
        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(newKey, oldArchive), "BlarWrongKey");
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(oldKey, oldArchive));
    }

    [Fact]
    public void A_rerun_with_only_the_new_key_keeps_archives_written_under_the_old_one()
    {
        using var tmp = new TempDirectory("keys");
        var oldKey = ArchiveKit.NewKey(tmp, "old.key");
        var newKey = ArchiveKit.NewKey(tmp, "new.key");
        using var oldMaster = ArchiveKit.LoadKey(oldKey);
        var outDir = tmp.Combine("out");
        var oldArchive = ArchiveKit.ArchiveFor(outDir, Name);
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(oldKey, outDir, [ArchiveKit.Fixture(Name)]));
        var oldIdentity = ArchiveKit.Identity(oldArchive);

        var rerun = CliRunner.Run(["protect", "--key-file", newKey, "--output-dir", outDir, .. ArchiveKit.FastOptions, "--json", ArchiveKit.Fixture(Name)], env: null);

        ArchiveKit.AssertExit(0, rerun);
        using var doc = JsonDocument.Parse(rerun.StdOut);
        Assert.Equal("already_archived", doc.RootElement[0].GetProperty("outcome").GetString());
        Assert.Equal(oldMaster.Id, doc.RootElement[0].GetProperty("key_id").GetString());
        Assert.True(doc.RootElement[0].GetProperty("not_checked").GetArrayLength() > 0, "says what it could not check without the old key");
        Assert.Equal(oldIdentity, ArchiveKit.Identity(oldArchive));
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(oldKey, oldArchive));
    }

    [Fact]
    public void Key_material_never_appears_in_any_output_or_written_file()
    {
        using var tmp = new TempDirectory("keys");
        var outDir = tmp.Combine("out");
        var keyDir = tmp.Combine("keys");
        Directory.CreateDirectory(keyDir);
        var keyPath = Path.Combine(keyDir, "master.key");
        var other = Path.Combine(keyDir, "other.key");
        var outputs = new List<CliRunner.Result>
        {
            ArchiveKit.Cli("keygen", "--out", keyPath),
            ArchiveKit.Cli("keygen", "--out", keyPath, "--json"),
            ArchiveKit.Cli("keygen", "--out", other),
        };
        var hex = File.ReadAllText(keyPath).Trim();
        var raw = Convert.FromHexString(hex);
        var otherHex = File.ReadAllText(other).Trim();
        var binlogs = ArchiveKit.FixtureBinlogs.Take(3).Select(ArchiveKit.Fixture).ToArray();
        var archives = binlogs.Select(b => ArchiveKit.ArchiveFor(outDir, Path.GetFileName(b))).ToArray();
        var legacy = Path.Combine(outDir, "mysql-bin.000004.zst.openssl.enc");
        // A malformed key (one digit short) must be described by its shape, not echoed.
        var malformed = Path.Combine(keyDir, "short.key");
        File.WriteAllText(malformed, hex[..63] + "\n");
        File.SetUnixFileMode(malformed, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        outputs.Add(ArchiveKit.Protect(keyPath, outDir, binlogs));
        outputs.Add(ArchiveKit.Protect(keyPath, outDir, binlogs, "--json", "--dry-run"));
        outputs.Add(ArchiveKit.Protect(keyPath, outDir, binlogs, "--json"));
        outputs.Add(ArchiveKit.Protect(keyPath, outDir, [ArchiveKit.Fixture("mysql-bin.000004")], "--format", "openssl-cbc", "--json"));
        outputs.Add(ArchiveKit.Protect(keyPath, tmp.Combine("direct"), [binlogs[0]], "--direct-key", "--json"));
        outputs.Add(CliRunner.Run(["protect", "--key-file", "-", "--output-dir", tmp.Combine("stdin"), binlogs[0]], env: null, stdin: hex));
        outputs.Add(ArchiveKit.Cli(["verify", "--key-file", keyPath, .. archives, legacy]));
        outputs.Add(ArchiveKit.Cli(["verify", "--key-file", keyPath, "--json", .. archives, legacy]));
        outputs.Add(ArchiveKit.Cli(["verify", "--json", .. archives, legacy]));
        outputs.Add(ArchiveKit.Cli(["verify", "--key-file", other, "--json", .. archives, legacy]));
        outputs.Add(ArchiveKit.Cli("verify", "--key-file", malformed, archives[0]));
        outputs.Add(ArchiveKit.Protect(malformed, tmp.Combine("bad"), [binlogs[0]]));
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        outputs.Add(ArchiveKit.Protect(keyPath, outDir, binlogs, "--allow-insecure-key-file"));
        outputs.Add(ArchiveKit.Protect(keyPath, outDir, binlogs));

        Assert.Contains(outputs, o => o.StdErr.Contains("KeyFileInvalid", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.StdErr.Contains("BlarWrongKey", StringComparison.Ordinal));
        var secrets = new[] { hex, hex[..32], hex[32..], hex[..63], otherHex, Convert.ToBase64String(raw) };
        foreach (var o in outputs)
        {
            foreach (var s in secrets)
            {
                Assert.DoesNotContain(s, o.StdOut, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(s, o.StdErr, StringComparison.OrdinalIgnoreCase);
            }
        }

        // Nothing written beside the archives holds the key in any encoding (keys live in keyDir).
        var written = Directory.EnumerateFiles(tmp.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(keyDir + "/", StringComparison.Ordinal)).ToList();
        Assert.True(written.Count >= 8, string.Join(", ", written));
        foreach (var f in written)
        {
            var bytes = File.ReadAllBytes(f);
            Assert.False(Contains(bytes, raw), $"{f} holds the raw key");
            var text = Encoding.Latin1.GetString(bytes);
            foreach (var s in secrets)
            {
                Assert.DoesNotContain(s, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
