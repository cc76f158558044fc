namespace BinlogArchive.Tests;

/// <summary>Locates the repository and the shared fixtures that live beside it (never inside it).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// ../shared/fixtures/mysql-binlogs next to the checkout, or $BINLOG_SHARED_FIXTURES.
    /// Null when absent (a user's fresh clone): tests that need it are reported skipped.
    /// </summary>
    public static string? SharedBinlogFixtures { get; } = FindSharedFixtures();

    public static string TestFixtures => Path.Combine(Root, "tests", "fixtures");

    public static string SharedFixture(string name) =>
        Path.Combine(SharedBinlogFixtures ?? throw new InvalidOperationException("shared fixtures absent"), name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BinlogCmdlets.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BinlogCmdlets.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindSharedFixtures()
    {
        var fromEnv = Environment.GetEnvironmentVariable("BINLOG_SHARED_FIXTURES");
        var candidate = !string.IsNullOrEmpty(fromEnv)
            ? fromEnv
            : Path.GetFullPath(Path.Combine(FindRoot(), "..", "shared", "fixtures", "mysql-binlogs"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
