using System.Text.Json.Nodes;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>Archives made once by `protect`; each test tampers with its own copy.</summary>
public sealed class ProtectedPairs : IDisposable
{
    public const string A = "mysql-bin.000002";
    public const string B = "mysql-bin.000003";

    private readonly TempDirectory _tmp = new("tamper-src");

    public ProtectedPairs()
    {
        Key = ArchiveKit.NewKey(_tmp);
        OtherKey = ArchiveKit.NewKey(_tmp, "other.key");
        Pristine = _tmp.Combine("out");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(Key, Pristine, [ArchiveKit.Fixture(A), ArchiveKit.Fixture(B)]));
        // The same binlog protected again elsewhere: same source, different salt and data key.
        ReProtected = _tmp.Combine("again");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(Key, ReProtected, [ArchiveKit.Fixture(A)]));
    }

    public string Key { get; }

    public string OtherKey { get; }

    public string Pristine { get; }

    public string ReProtected { get; }

    /// <summary>A private copy of the pristine archives and sidecars.</summary>
    public string CopyTo(string root)
    {
        var dir = Path.Combine(root, "out");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.EnumerateFiles(Pristine))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }

        return dir;
    }

    public void Dispose() => _tmp.Dispose();
}

/// <summary>
/// Tampering with what `protect` wrote, detected by `verify` through the CLI with a non-zero exit
/// and the named error. The verifier checks, in order: names, header source name, sidecar MAC,
/// every chunk, the zstd stream, trailing data, archive size+hash, source size+hash — so each
/// tampering is reported by the first check it breaks, which these tests pin down.
/// </summary>
public sealed class TamperDetectionTests(ProtectedPairs pairs) : IClassFixture<ProtectedPairs>
{
    [Fact]
    public void Untouched_archive_verifies_and_without_a_key_says_what_it_could_not_check()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);

        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(pairs.Key, archive));
        var noKey = ArchiveKit.Verify(null, archive);

        var verdict = ArchiveKit.AssertVerifyPasses(noKey);
        var notChecked = verdict.GetProperty("not_checked").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("chunk authentication (no key)", notChecked);
        Assert.Contains("sidecar MAC (no key)", notChecked);
        Assert.Contains("source sha256 (no key)", notChecked);
        Assert.Contains("warning [NotFullyVerified]", noKey.StdErr, StringComparison.Ordinal);
        Assert.Contains("archive size and sha256", verdict.GetProperty("checked").EnumerateArray().Select(e => e.GetString()));
    }

    // Every one of these is covered by the sidecar MAC, which is checked before any hash, so the
    // edit is reported as an edited sidecar rather than as the hash/size mismatch it implies.
    [Theory]
    [InlineData("source.sha256")]
    [InlineData("source.gtid.added")]
    [InlineData("source.last_event_at")]
    [InlineData("source.end_position")]
    [InlineData("archive.size")]
    [InlineData("archive.sha256")]
    public void Edited_mac_covered_sidecar_field_is_SidecarMacInvalid(string field)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        EditSidecar(archive, field, value => field switch
        {
            "source.sha256" or "archive.sha256" => new string('0', 63) + "1",
            "source.gtid.added" => "0-1-11..16",
            "source.last_event_at" => "2026-11-22T04:23:39.000000Z",
            _ => (long)value! + 1,
        });

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(pairs.Key, archive), "SidecarMacInvalid");
    }

    [Fact]
    public void Edited_informational_sidecar_field_still_verifies()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        EditSidecar(archive, "host", _ => "somewhere-else");

        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(pairs.Key, archive));
    }

    [Fact]
    public void Sidecar_mac_removed_is_SidecarMacInvalid()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        var json = JsonNode.Parse(File.ReadAllText(ArchiveKit.SidecarFor(archive)))!.AsObject();
        json.Remove("mac");
        File.WriteAllText(ArchiveKit.SidecarFor(archive), json.ToJsonString());

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(pairs.Key, archive), "SidecarMacInvalid");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Archive_renamed_to_another_binlogs_name_is_ArchiveRenamed(bool withKey)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var a = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        var b = ArchiveKit.ArchiveFor(dir, ProtectedPairs.B);
        File.Move(a, b, overwrite: true);
        File.Move(ArchiveKit.SidecarFor(a), ArchiveKit.SidecarFor(b), overwrite: true);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, b), "ArchiveRenamed");
    }

    // Another binlog's archive under A's name, A's sidecar kept: the header names the other
    // binlog, which is checked (with or without a key) before any hash.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Archive_swapped_for_another_binlogs_archive_is_ArchiveSourceMismatch(bool withKey)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var a = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        File.Copy(ArchiveKit.ArchiveFor(dir, ProtectedPairs.B), a, overwrite: true);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, a), "ArchiveSourceMismatch");
    }

    // An archive of the very same binlog from another protect run, A's sidecar kept: the header
    // matches, so without a key the archive hash catches it; with a key the sidecar MAC (keyed
    // from the archive's own salt and data key) fails first.
    [Theory]
    [InlineData(true, "SidecarMacInvalid")]
    [InlineData(false, "ArchiveHashMismatch")]
    public void Archive_swapped_for_another_archive_of_the_same_binlog_is_detected(bool withKey, string errorId)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var a = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        var other = ArchiveKit.ArchiveFor(pairs.ReProtected, ProtectedPairs.A);
        Assert.Equal(new FileInfo(a).Length, new FileInfo(other).Length);
        Assert.NotEqual(ArchiveKit.Sha256(a), ArchiveKit.Sha256(other));
        File.Copy(other, a, overwrite: true);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, a), errorId);
    }

    [Fact]
    public void Wrong_key_is_BlarWrongKey()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);

        var r = ArchiveKit.Verify(pairs.OtherKey, archive);

        var verdict = ArchiveKit.AssertVerifyFails(r, "BlarWrongKey");
        using var key = ArchiveKit.LoadKey(pairs.Key);
        Assert.Contains(key.Id, verdict.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Empty_archive_file_is_ArchiveEmpty(bool withKey)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        File.WriteAllBytes(archive, []);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, archive), "ArchiveEmpty");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Missing_sidecar_is_SidecarMissing(bool withKey)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        File.Delete(ArchiveKit.SidecarFor(archive));

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, archive), "SidecarMissing");
    }

    [Fact]
    public void Missing_archive_is_ArchiveNotFound()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        File.Delete(archive);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(pairs.Key, archive), "ArchiveNotFound");
    }

    // With the key the flipped chunk fails authentication; without it, the archive hash catches it.
    [Theory]
    [InlineData(true, "BlarTamperedChunk")]
    [InlineData(false, "ArchiveHashMismatch")]
    public void Bit_flipped_in_the_middle_of_the_archive_is_detected(bool withKey, string errorId)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        ArchiveKit.FlipBit(archive, new FileInfo(archive).Length / 2, 5);

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, archive), errorId);
    }

    [Theory]
    [InlineData(true, "BlarTrailingData")]
    [InlineData(false, "ArchiveSizeMismatch")]
    public void Bytes_appended_to_the_archive_are_detected(bool withKey, string errorId)
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        using (var f = new FileStream(archive, FileMode.Append))
        {
            f.Write(new byte[] { 0, 0, 0, 0, 1, 2, 3 });
        }

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(withKey ? pairs.Key : null, archive), errorId);
    }

    [Fact]
    public void Truncated_archive_is_detected()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var archive = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        using (var f = new FileStream(archive, FileMode.Open))
        {
            f.SetLength(f.Length - 20);
        }

        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(pairs.Key, archive), "BlarTruncated");
    }

    [Fact]
    public void One_bad_archive_among_good_ones_fails_the_run_and_names_only_it()
    {
        using var tmp = new TempDirectory("tamper");
        var dir = pairs.CopyTo(tmp.Path);
        var good = ArchiveKit.ArchiveFor(dir, ProtectedPairs.B);
        var bad = ArchiveKit.ArchiveFor(dir, ProtectedPairs.A);
        ArchiveKit.FlipBit(bad, new FileInfo(bad).Length - 3);

        var r = ArchiveKit.Cli("verify", "--key-file", pairs.Key, good, bad);

        ArchiveKit.AssertExit(1, r);
        Assert.Contains($"valid\t{good}", r.StdOut, StringComparison.Ordinal);
        Assert.Contains($"INVALID\t{bad}", r.StdOut, StringComparison.Ordinal);
    }

    private static void EditSidecar(string archive, string dottedPath, Func<object?, object?> change)
    {
        var path = ArchiveKit.SidecarFor(archive);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var parts = dottedPath.Split('.');
        var parent = root;
        foreach (var p in parts[..^1])
        {
            parent = parent[p]!.AsObject();
        }

        var old = parent[parts[^1]];
        object? current = old?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? old.GetValue<long>() : old?.GetValue<string>();
        var updated = change(current);
        Assert.NotEqual(current, updated);
        parent[parts[^1]] = updated is long n ? JsonValue.Create(n) : JsonValue.Create((string?)updated);
        File.WriteAllText(path, root.ToJsonString());
    }
}
