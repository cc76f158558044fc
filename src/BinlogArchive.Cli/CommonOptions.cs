using System.CommandLine;

namespace BinlogArchive.Cli;

/// <summary>Options shared by several subcommands, spelled once.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json")
    {
        Description = "Write the result as JSON on stdout (logs stay on stderr).",
    };

    public static Option<string?> StateDirectory() => new("--state-dir")
    {
        Description = "Directory for locks and resumable-upload state (default: $BINLOG_ARCHIVE_STATE_DIR or ~/.local/state/binlog-archive).",
    };

    public static Option<double> LockTimeout() => new("--lock-timeout")
    {
        Description = "Seconds to wait for another run's lock before failing.",
        DefaultValueFactory = _ => 30,
    };
}
