using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.IO;

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

    /// <summary>
    /// A file-system-safe name for one binlog directory's state (lock, staging): its leaf name plus
    /// a hash of its full path, so two servers on one host never share state, and "/x" and "/x/"
    /// are the same directory.
    /// </summary>
    public static string KeyFor(string binlogDirectory)
    {
        var full = Path.GetFullPath(binlogDirectory).TrimEnd('/');
        var hash = Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return $"{Path.GetFileName(full)}-{hash}";
    }
}
