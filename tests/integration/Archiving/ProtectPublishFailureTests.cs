namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// A fact that needs `chattr +i` (root, and a file system with the immutable flag) to make a
/// write fail at an exact step. Reported skipped, never passed, where that is not available.
/// </summary>
public sealed class ImmutableFilesFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(Probe);

    public ImmutableFilesFactAttribute()
    {
        if (Reason.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        using var tmp = new TempDirectory("chattr-probe");
        var f = tmp.Combine("probe");
        File.WriteAllText(f, "x");
        try
        {
            if (!Immutable.Set(f, true))
            {
                return "skipped: `chattr +i` does not work here (needs root and a file system with the immutable flag)";
            }

            try
            {
                File.Delete(f);
                return "skipped: `chattr +i` did not stop an unlink here";
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException)
            {
                return null;
            }
        }
        finally
        {
            Immutable.Set(f, false);
        }
    }
}

internal static class Immutable
{
    public static bool Set(string path, bool on)
    {
        try
        {
            return MariaDb.ToolProcess.Run("chattr", [on ? "+i" : "-i", path]).ExitCode == 0;
        }
        catch (Exception e) when (e is FileNotFoundException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>
/// Publishing can fail part-way (here: the old sidecar is immutable, so it can be neither
/// replaced nor removed). Whatever step fails, no visible sidecar may vouch for an archive it
/// does not describe, and the failure is a named error, not a stack trace.
/// </summary>
public sealed class ProtectPublishFailureTests
{
    private const string Name = "mysql-bin.000002";

    [ImmutableFilesFact]
    public void Forced_replacement_that_cannot_publish_its_sidecar_leaves_the_old_pair_valid()
    {
        using var tmp = new TempDirectory("publish-fail");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        ArchiveKit.AssertExit(0, ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name)]));
        var archive = ArchiveKit.ArchiveFor(outDir, Name);
        var sidecar = ArchiveKit.SidecarFor(archive);
        var impostor = ArchiveKit.CopyFixtures(tmp, "new-server", "mysql-bin.000003");
        File.Move(Path.Combine(impostor, "mysql-bin.000003"), Path.Combine(impostor, Name));
        Assert.True(Immutable.Set(sidecar, true));
        CliRunner.Result forced;
        try
        {
            forced = ArchiveKit.Protect(key, outDir, [Path.Combine(impostor, Name)], "--force");

            // The visible sidecar still describes the visible archive (or there is none).
            if (File.Exists(sidecar))
            {
                ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
            }
        }
        finally
        {
            Immutable.Set(sidecar, false);
        }

        ArchiveKit.AssertExit(1, forced);
        Assert.Contains("error [ArchiveWriteFailed]", forced.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", forced.StdErr, StringComparison.Ordinal);

        var retried = ArchiveKit.Protect(key, outDir, [Path.Combine(impostor, Name)], "--force");

        ArchiveKit.AssertExit(0, retried);
        ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
    }

    [ImmutableFilesFact]
    public void Unwritable_output_directory_is_a_named_error_for_each_file()
    {
        using var tmp = new TempDirectory("publish-fail");
        var key = ArchiveKit.NewKey(tmp);
        var outDir = tmp.Combine("out");
        Directory.CreateDirectory(outDir);
        Assert.True(Immutable.Set(outDir, true));
        CliRunner.Result r;
        try
        {
            r = ArchiveKit.Protect(key, outDir, [ArchiveKit.Fixture(Name), ArchiveKit.Fixture("mysql-bin.000003")]);
        }
        finally
        {
            Immutable.Set(outDir, false);
        }

        ArchiveKit.AssertExit(1, r);
        Assert.DoesNotContain("Unhandled exception", r.StdErr, StringComparison.Ordinal);
        // Each file is reported, not just the first: the run goes on after a per-item failure.
        Assert.Equal(2, r.StdErr.Split("error [ArchiveWriteFailed]").Length - 1);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
    }
}
