namespace BinlogArchive.Core.Discovery;

/// <summary>Where locks and resumable-upload state live: $BINLOG_ARCHIVE_STATE_DIR, else XDG state home.</summary>
public static class StateDirectory
{
    public static string Default
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable("BINLOG_ARCHIVE_STATE_DIR");
            if (!string.IsNullOrEmpty(explicitDir))
            {
                return explicitDir;
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            var root = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(root, "binlog-archive");
        }
    }
}
