using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Discovery;

/// <summary>
/// The server's binlog index (<c>mysql-bin.index</c>): one binlog path per line, oldest first.
/// MariaDB and MySQL write paths relative to the datadir (<c>./mysql-bin.000001</c>); absolute
/// paths appear when log_bin names one.
/// </summary>
public sealed record BinlogIndex(string IndexPath, IReadOnlyList<string> Entries)
{
    public static BinlogIndex Load(string indexPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(indexPath);
        }
        catch (FileNotFoundException)
        {
            throw new BinlogArchiveException("BinlogIndexNotFound", ErrorKind.ObjectNotFound,
                $"Binlog index file '{indexPath}' does not exist.", indexPath,
                "Pass the binlog directory of a server with log_bin enabled, or name the index with --index / -IndexPath.");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new BinlogArchiveException("BinlogIndexUnreadable", ErrorKind.PermissionDenied,
                $"Cannot read binlog index '{indexPath}': {ex.Message}", indexPath,
                "Run as a user that can read the server's binlog directory (e.g. in the mysql group).", ex);
        }

        var baseDir = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var entries = new List<string>(lines.Length);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            // Relative entries are relative to the datadir, which is where the index lives
            // unless log_bin points elsewhere; the index directory is the reliable anchor.
            entries.Add(Path.GetFullPath(Path.IsPathRooted(line) ? line : Path.Combine(baseDir, line)));
        }

        return new BinlogIndex(Path.GetFullPath(indexPath), entries);
    }

    /// <summary>
    /// Finds the binlog index in <paramref name="binlogDirectory"/>: the single <c>*.index</c> that
    /// is not a relay-log index. Several candidates are an error that lists them.
    /// </summary>
    public static string Locate(string binlogDirectory)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(binlogDirectory, "*.index")
                .Where(p => !Path.GetFileName(p).Contains("relay", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            throw new BinlogArchiveException("BinlogDirectoryNotFound", ErrorKind.ObjectNotFound,
                $"Binlog directory '{binlogDirectory}' does not exist.", binlogDirectory,
                "Pass the server's datadir or the directory named by log_bin.");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new BinlogArchiveException("BinlogDirectoryUnreadable", ErrorKind.PermissionDenied,
                $"Cannot list binlog directory '{binlogDirectory}': {ex.Message}", binlogDirectory,
                "Run as a user that can read the server's binlog directory (e.g. in the mysql group).", ex);
        }

        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new BinlogArchiveException("BinlogIndexNotFound", ErrorKind.ObjectNotFound,
                $"No binlog index (*.index) in '{binlogDirectory}'.", binlogDirectory,
                "Check that log_bin is enabled, or name the index with --index / -IndexPath."),
            _ => throw new BinlogArchiveException("BinlogIndexAmbiguous", ErrorKind.InvalidArgument,
                $"Several binlog index files in '{binlogDirectory}': {string.Join(", ", candidates.Select(Path.GetFileName))}.",
                binlogDirectory, "Name the one to use with --index / -IndexPath."),
        };
    }
}
