using System.Text.Json;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// The formats operators already have, through the CLI and the real `openssl` and `zstd`
/// tools: `protect --format openssl-cbc` opens with the old shell pipeline, and archives the old
/// pipeline made (no sidecar) pass `verify`, saying what could not be checked, until damaged.
/// </summary>
public sealed class LegacyInteropTests
{
    private const string Binlog = "mysql-bin.000001";

    [Fact]
    public void Openssl_cbc_archive_opens_with_openssl_enc_and_zstd()
    {
        using var tmp = new TempDirectory("legacy-write");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var source = ArchiveKit.Fixture("mysql-bin.000004");

        var r = ArchiveKit.Protect(key, outDir, [source], "--format", "openssl-cbc");

        ArchiveKit.AssertExit(0, r);
        var archive = Path.Combine(outDir, "mysql-bin.000004.zst.openssl.enc");
        Assert.True(File.Exists(ArchiveKit.SidecarFor(archive)));
        var plainOut = tmp.Combine("restored");
        ArchiveKit.Shell($"openssl enc -d -aes-256-cbc -pbkdf2 -iter 100000 -pass file:'{key}' -in '{archive}' | zstd -d -q -c > '{plainOut}'");
        Assert.Equal(ArchiveKit.Sha256(source), ArchiveKit.Sha256(plainOut));

        // With its sidecar, the CBC archive is authenticated by the sidecar's HMAC and MAC.
        var verdict = ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
        var checkedItems = verdict.GetProperty("checked").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("archive HMAC", checkedItems);
        Assert.Contains("sidecar MAC", checkedItems);
        Assert.Contains("source size and sha256", checkedItems);
        Assert.Empty(verdict.GetProperty("not_checked").EnumerateArray());

        // A bit flipped in the middle is caught before decryption, by the archive hash.
        ArchiveKit.FlipBit(archive, new FileInfo(archive).Length / 2);
        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(key, archive), "ArchiveHashMismatch");
    }

    [Fact]
    public void Shell_pipeline_archive_without_sidecar_verifies_with_an_authenticity_caveat()
    {
        using var tmp = new TempDirectory("legacy-read");
        var key = ArchiveKit.NewKey(tmp);
        var dir = ArchiveKit.CopyFixtures(tmp, "old", Binlog);
        var archive = MakeShellArchive(dir, key);

        var r = ArchiveKit.Verify(key, archive);

        var verdict = ArchiveKit.AssertVerifyPasses(r);
        var notChecked = verdict.GetProperty("not_checked").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(notChecked, n => n.StartsWith("authenticity", StringComparison.Ordinal));
        Assert.Contains("warning [NotFullyVerified]", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("not checked: authenticity", r.StdErr, StringComparison.Ordinal);
        var checkedItems = verdict.GetProperty("checked").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("zstd stream complete", checkedItems);
    }

    [Theory]
    [InlineData("middle")]
    [InlineData("odd-length")]
    [InlineData("block-truncated")]
    public void Damaged_shell_pipeline_archive_fails_verify(string damage)
    {
        using var tmp = new TempDirectory("legacy-bad");
        var key = ArchiveKit.NewKey(tmp);
        var dir = ArchiveKit.CopyFixtures(tmp, "old", Binlog);
        var archive = MakeShellArchive(dir, key);
        var length = new FileInfo(archive).Length;
        switch (damage)
        {
            case "middle":
                ArchiveKit.FlipBit(archive, length / 2, 3);
                break;
            default:
                // One byte short is not a whole CBC block; a whole block short loses the padding
                // (the zstd output of the fixture is fixed, so the new last byte is too).
                using (var f = new FileStream(archive, FileMode.Open))
                {
                    f.SetLength(length - (damage == "odd-length" ? 1 : 16));
                }

                break;
        }

        var r = ArchiveKit.Verify(key, archive);

        // CBC is unauthenticated: damage shows up as bad padding or as a broken zstd frame
        // (its content checksum), whichever the decryptor meets first.
        ArchiveKit.AssertExit(1, r);
        var verdict = ArchiveKit.SingleVerdict(r);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        var expected = damage == "middle" ? "ZstdError" : "OpenSslDecryptFailed";
        Assert.Equal(expected, verdict.GetProperty("error_id").GetString());
    }

    [Fact]
    public void Plain_zstd_archive_verifies_without_a_key_and_a_truncated_one_fails()
    {
        using var tmp = new TempDirectory("legacy-zstd");
        var dir = ArchiveKit.CopyFixtures(tmp, "old", "mysql-bin.000004");
        var source = Path.Combine(dir, "mysql-bin.000004");
        ArchiveKit.Shell($"zstd -q -3 '{source}' -o '{source}.zst'");
        var archive = source + ".zst";

        var ok = ArchiveKit.Verify(null, archive);

        var verdict = ArchiveKit.AssertVerifyPasses(ok);
        Assert.Contains(verdict.GetProperty("not_checked").EnumerateArray(),
            n => n.GetString()!.StartsWith("authenticity", StringComparison.Ordinal));

        var truncated = tmp.Combine("old", "mysql-bin.000005.zst");
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var bad = ArchiveKit.Verify(null, truncated);
        var failed = ArchiveKit.AssertVerifyFails(bad, "ZstdStreamIncomplete");
        Assert.Contains("incomplete", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>What the pre-BinlogArchive cron job did: `zstd -c F | openssl enc ... > F.zst.enc`, no sidecar.</summary>
    private static string MakeShellArchive(string dir, string key)
    {
        var source = Path.Combine(dir, Binlog);
        var archive = source + ".zst.enc";
        ArchiveKit.Shell($"zstd -q -c '{source}' | openssl enc -aes-256-cbc -salt -pbkdf2 -iter 100000 -pass file:'{key}' > '{archive}'");
        Assert.False(File.Exists(ArchiveKit.SidecarFor(archive)));
        return archive;
    }
}
