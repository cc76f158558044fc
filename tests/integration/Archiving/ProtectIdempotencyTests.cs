using System.Text.Json;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// `protect` run again, over something already there, or told not to write: same content is a
/// no-op that rewrites nothing, different content under the same name is refused unless forced,
/// a half-published archive is redone, a damaged source is refused, and a dry run writes nothing.
/// </summary>
public sealed class ProtectIdempotencyTests
{
    private const string Name = "mysql-bin.000002";

    [Fact]
    public void Rerun_reports_AlreadyArchived_and_rewrites_nothing()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var source = ArchiveKit.Fixture(Name);
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [source]));
        var before = ArchiveKit.Listing(outDir);

        var again = ArchiveKit.Protect(key, outDir, [source], "--json");

        ArchiveKit.AssertExit(0, again);
        Assert.Equal("already_archived", Outcomes(again).Single());
        Assert.Contains("already archived with the same content", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, ArchiveKit.Listing(outDir));

        var text = ArchiveKit.Protect(key, outDir, [source]);
        Assert.Contains($"AlreadyArchived\t{ArchiveKit.ArchiveFor(outDir, Name)}", text.StdOut, StringComparison.Ordinal);
        Assert.Equal(before, ArchiveKit.Listing(outDir));
    }

    [Fact]
    public void Different_content_under_the_same_name_is_ArchiveConflict_and_force_replaces_it()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)]));
        var before = ArchiveKit.Listing(outDir);
        // A new server (or RESET MASTER) numbers its files from 1 again: same name, other content.
        var impostorDir = tmp.Combine("new-server");
        Directory.CreateDirectory(impostorDir);
        var impostor = Path.Combine(impostorDir, Name);
        File.Copy(ArchiveKit.Fixture("mysql-bin.000003"), impostor);

        var refused = ArchiveKit.Protect(key, outDir, [impostor]);

        ArchiveKit.AssertExit(1, refused);
        Assert.Contains("error [ArchiveConflict]", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("Nothing was overwritten", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, ArchiveKit.Listing(outDir));
        var dry = ArchiveKit.Protect(key, outDir, [impostor], "--dry-run");
        ArchiveKit.AssertExit(1, dry);
        Assert.Contains("error [ArchiveConflict]", dry.StdErr, StringComparison.Ordinal);

        var forced = ArchiveKit.Protect(key, outDir, [impostor], "--force", "--json");

        ArchiveKit.AssertExit(0, forced);
        Assert.Equal("created", Outcomes(forced).Single());
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
        using var sidecar = JsonDocument.Parse(File.ReadAllText(ArchiveKit.SidecarFor(archive)));
        Assert.Equal(ArchiveKit.Sha256(impostor), sidecar.RootElement.GetProperty("source").GetProperty("sha256").GetString());
        using var master = ArchiveKit.LoadKey(key);
        Assert.Equal(File.ReadAllBytes(impostor), ArchiveKit.Decompress(ArchiveKit.DecryptBlar(archive, new(master))));
    }

    [Fact]
    public void Dry_run_writes_nothing()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var fresh = tmp.Combine("never-created");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)]));
        // A leftover of a crashed run (a dead writer's PID): a real run would remove it; a dry run must not.
        File.WriteAllText(Path.Combine(outDir, $".{Name}.zst.enc.2147483646.{Guid.NewGuid():N}.partial"), "x");
        var before = ArchiveKit.Listing(outDir);

        var r = ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name), ArchiveKit.Fixture("mysql-bin.000003")], "--dry-run", "--json");
        var r2 = ArchiveKit.Protect(key, fresh, [ArchiveKit.Fixture(Name)], "--dry-run");

        ArchiveKit.AssertExit(0, r);
        Assert.Equal(["already_archived", "would_create"], Outcomes(r));
        Assert.Equal(before, ArchiveKit.Listing(outDir));
        ArchiveKit.AssertExit(0, r2);
        Assert.Contains("WouldCreate", r2.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh), "a dry run must not even create the output directory");
    }

    [Fact]
    public void Archive_without_sidecar_is_redone()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var source = ArchiveKit.Fixture(Name);
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [source]));
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        // As if the run died between the archive's rename and the sidecar's.
        File.Delete(ArchiveKit.SidecarFor(archive));
        var stale = ArchiveKit.Identity(archive);
        var staleHash = ArchiveKit.Sha256(archive);

        var r = ArchiveKit.Protect(key, outDir, [source], "--json");

        ArchiveKit.AssertExit(0, r);
        Assert.Equal("created", Outcomes(r).Single());
        Assert.NotEqual(stale, ArchiveKit.Identity(archive));
        Assert.NotEqual(staleHash, ArchiveKit.Sha256(archive));
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
    }

    [Fact]
    public void Damaged_archive_of_the_same_source_is_redone()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var source = ArchiveKit.Fixture(Name);
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [source]));
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        ArchiveKit.FlipBit(archive, new FileInfo(archive).Length / 2);
        ArchiveKit.AssertVerifyFails(ArchiveKit.Verify(key, archive), "BlarTamperedChunk");

        var r = ArchiveKit.Protect(key, outDir, [source], "--json");

        ArchiveKit.AssertExit(0, r);
        Assert.Equal("created", Outcomes(r).Single());
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
    }

    [Fact]
    public void Damaged_source_is_refused_with_nothing_published_unless_allowed()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        var dir = ArchiveKit.CopyFixtures(tmp, "binlogs", Name, "mysql-bin.000003");
        var damaged = Path.Combine(dir, Name);
        // One bit inside an event body: the reader sees a CRC32 mismatch.
        ArchiveKit.FlipBit(damaged, new FileInfo(damaged).Length / 2, 4);
        var damagedHash = ArchiveKit.Sha256(damaged);
        var inspect = ArchiveKit.Cli("inspect", damaged);
        Assert.Contains("CrcMismatch", inspect.StdOut, StringComparison.Ordinal);

        var refused = ArchiveKit.Protect(key, outDir, [damaged, Path.Combine(dir, "mysql-bin.000003")], "--json");

        // The damaged file fails the run; the healthy one after it is still archived.
        ArchiveKit.AssertExit(1, refused);
        Assert.Contains("error [SourceBinlogDamaged]", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("Nothing was published", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(["created"], Outcomes(refused));
        Assert.Equal(["mysql-bin.000003.zst.enc", "mysql-bin.000003.zst.enc.json"], ArchiveKit.Listing(outDir).Keys);
        Assert.Equal(damagedHash, ArchiveKit.Sha256(damaged));

        var allowed = ArchiveKit.Protect(key, outDir, [damaged], "--allow-damaged", "--json");

        ArchiveKit.AssertExit(0, allowed);
        Assert.Equal("created", Outcomes(allowed).Single());
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
        using var master = ArchiveKit.LoadKey(key);
        Assert.Equal(File.ReadAllBytes(damaged), ArchiveKit.Decompress(ArchiveKit.DecryptBlar(archive, new(master))));
        Assert.Equal(damagedHash, ArchiveKit.Sha256(damaged));
    }

    [Fact]
    public void Output_directory_equal_to_the_binlog_directory_is_refused()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var dir = ArchiveKit.CopyFixtures(tmp, "binlogs", Name);
        var before = ArchiveKit.Listing(dir);

        var r = ArchiveKit.Protect(key, dir, [Path.Combine(dir, Name)]);
        var viaDot = ArchiveKit.Protect(key, Path.Combine(dir, ".", "..", "binlogs"), [Path.Combine(dir, Name)]);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error [OutputIsBinlogDirectory]", r.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, viaDot.ExitCode);
        Assert.Contains("error [OutputIsBinlogDirectory]", viaDot.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, ArchiveKit.Listing(dir));
    }

    [Fact]
    public void Leftover_temp_file_of_a_dead_writer_is_removed_by_the_next_run()
    {
        using var tmp = new TempDirectory("idem");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        Directory.CreateDirectory(outDir);
        var leftover = Path.Combine(outDir, $".{Name}.zst.enc.2147483646.{Guid.NewGuid():N}.partial");
        File.WriteAllText(leftover, "half an archive");

        var r = ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)]);

        ArchiveKit.AssertExit(0, r);
        Assert.False(File.Exists(leftover));
        Assert.Contains("removed leftover of an interrupted run", r.StdErr, StringComparison.Ordinal);
        Assert.Equal([$"{Name}.zst.enc", $"{Name}.zst.enc.json"], ArchiveKit.Listing(outDir).Keys);
    }

    private static List<string?> Outcomes(CliRunner.Result r)
    {
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).ToList();
    }
}
