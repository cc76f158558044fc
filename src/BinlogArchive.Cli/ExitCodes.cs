namespace BinlogArchive.Cli;

/// <summary>The exit codes scripts rely on (ARCHITECTURE.md §8).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>At least one item failed: verification failure, chain gap, unreadable file, ...</summary>
    public const int ItemFailed = 1;

    public const int BadUsage = 2;
}
