using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// The binlog decoder and SQL client a replay runs: mariadb-binlog + mariadb when installed,
/// else mysqlbinlog + mysql (Debian's MariaDB client ships both names; MySQL only the latter).
/// </summary>
/// <param name="BinlogTool">Absolute path of mariadb-binlog / mysqlbinlog.</param>
/// <param name="Client">Absolute path of mariadb / mysql.</param>
public sealed record ClientTools(string BinlogTool, string Client)
{
    /// <summary>Finds the tools on PATH (and /usr/bin, /usr/local/bin).</summary>
    /// <exception cref="BinlogArchiveException">ReplayToolsNotFound.</exception>
    public static ClientTools Detect()
    {
        var binlog = Find("mariadb-binlog") ?? Find("mysqlbinlog");
        var client = Find("mariadb") ?? Find("mysql");
        if (binlog is null || client is null)
        {
            throw new BinlogArchiveException("ReplayToolsNotFound", ErrorKind.NotInstalled,
                $"Replay needs {(binlog is null ? "mariadb-binlog or mysqlbinlog" : "")}{(binlog is null && client is null ? " and " : "")}{(client is null ? "the mariadb or mysql client" : "")} on PATH.",
                null, "Install the client package (apt-get install mariadb-client, or mysql-client), or use --output-dir.");
        }

        return new ClientTools(binlog, client);
    }

    private static string? Find(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(["/usr/bin", "/usr/local/bin"]);
        foreach (var dir in dirs.Where(d => d.Length > 0))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
