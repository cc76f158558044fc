using System.Globalization;

namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// Talks to the test MariaDB through the `mariadb` CLI client over its unix socket (there is no
/// MySqlConnector in the package mirror, and the product itself drives the CLI clients too).
/// Every call is one client process: session state (SET SESSION, temporary tables) lasts only
/// within one <see cref="Query"/> call, so put a multi-step session in one SQL text.
/// </summary>
public sealed class MariaDbServer
{
    private static readonly Lazy<MariaDbServer> LazyShared = new(CreateShared);
    private readonly string _client;

    public MariaDbServer(string socket)
    {
        Socket = socket;
        _client = ToolProcess.Find("mariadb");
    }

    /// <summary>
    /// The server from ./build.sh test. Throws (failing the test) with the reason when it is
    /// missing or unreachable: [MariaDbFact] only lets a test run when it should be there.
    /// </summary>
    public static MariaDbServer Shared => LazyShared.Value;

    public string Socket { get; }

    public string Version => Scalar("SELECT VERSION()");

    /// <summary>Directory of the binlog files (from @@log_bin_basename, which is absolute).</summary>
    public string BinlogDirectory => Path.GetDirectoryName(Scalar("SELECT @@log_bin_basename"))!;

    /// <summary>Path of the binlog index file (mysql-bin.index).</summary>
    public string BinlogIndexPath => Scalar("SELECT @@log_bin_index");

    public string BinlogPath(string fileName) => Path.Combine(BinlogDirectory, fileName);

    /// <summary>Returns the server if it answers `SELECT 1`, else null and the client's error.</summary>
    public static MariaDbServer? TryConnect(string socket, out string? error)
    {
        try
        {
            var server = new MariaDbServer(socket);
            var r = server.RunClient("SELECT 1", database: null);
            if (r.ExitCode == 0)
            {
                error = null;
                return server;
            }

            error = r.StandardError.Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            error = e.Message;
        }

        return null;
    }

    /// <summary>Runs SQL (one or more statements, sent on stdin) and returns every result row.</summary>
    public IReadOnlyList<string[]> Query(string sql, string? database = null)
    {
        var r = RunClient(sql, database);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"mariadb client failed (exit {r.ExitCode}): {r.StandardError.Trim()}\nSQL: {Abbreviate(sql)}");
        }

        return MariaDbBatchOutput.ParseRows(r.StandardOutput);
    }

    public void Execute(string sql, string? database = null) => Query(sql, database);

    /// <summary>The first column of the first row ("" when the value is empty; throws when no row).</summary>
    public string Scalar(string sql, string? database = null)
    {
        var rows = Query(sql, database);
        if (rows.Count == 0 || rows[0].Length == 0)
        {
            throw new InvalidOperationException("no row returned by: " + Abbreviate(sql));
        }

        return rows[0][0];
    }

    /// <summary>Closes the current binlog and opens the next one.</summary>
    public void FlushBinaryLogs() => Execute("FLUSH BINARY LOGS");

    /// <summary>
    /// FLUSH BINARY LOGS and @@gtid_binlog_pos in one session, so the position belongs to the
    /// file just closed as long as nothing else writes in between (MariaDbCollection serialises
    /// the tests that write).
    /// </summary>
    public (string ClosedFile, string GtidBinlogPos) FlushBinaryLogsAndGetPosition()
    {
        var before = ShowBinaryLogs()[^1].LogName;
        var pos = Query("FLUSH BINARY LOGS; SELECT @@gtid_binlog_pos;");
        return (before, pos.Count > 0 && pos[0].Length > 0 ? pos[0][0] : "");
    }

    public IReadOnlyList<BinaryLogInfo> ShowBinaryLogs() =>
        Query("SHOW BINARY LOGS")
            .Select(r => new BinaryLogInfo(r[0], long.Parse(r[1], CultureInfo.InvariantCulture)))
            .ToList();

    public IReadOnlyList<BinlogEventRow> ShowBinlogEvents(string fileName)
    {
        if (fileName.Contains('\'', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("unexpected character in binlog file name", nameof(fileName));
        }

        return Query($"SHOW BINLOG EVENTS IN '{fileName}'")
            .Select(r => new BinlogEventRow(
                r[0],
                long.Parse(r[1], CultureInfo.InvariantCulture),
                r[2],
                long.Parse(r[3], CultureInfo.InvariantCulture),
                long.Parse(r[4], CultureInfo.InvariantCulture),
                r.Length > 5 ? r[5] : ""))
            .ToList();
    }

    /// <summary>GTID groups of a file as the server delimits them (see <see cref="ServerTransaction"/>).</summary>
    public IReadOnlyList<ServerTransaction> ServerTransactions(string fileName) =>
        ServerTransaction.FromEvents(ShowBinlogEvents(fileName));

    /// <summary>SELECT @@gtid_binlog_pos: the last GTID per domain (and server) in the binlogs.</summary>
    public string GtidBinlogPos() => Scalar("SELECT @@gtid_binlog_pos");

    /// <summary>A fresh database with a unique name (prefix_xxxxxxxxxxxx), dropped on Dispose.</summary>
    public TestDatabase CreateDatabase(string prefix = "t")
    {
        var safe = new string(prefix.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        if (safe.Length == 0)
        {
            safe = "t";
        }

        // 12 hex digits of a GUID: unique enough per run, and the name stays under MariaDB's 64.
        var name = $"{safe[..Math.Min(safe.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
        Execute($"CREATE DATABASE `{name}`");
        return new TestDatabase(this, name);
    }

    private ToolResult RunClient(string sql, string? database)
    {
        // --no-defaults: never pick up /etc/mysql or ~/.my.cnf (a developer's own server).
        // --batch --skip-column-names: tab-separated rows, escaped values (MariaDbBatchOutput).
        var args = new List<string>
        {
            "--no-defaults", "--socket=" + Socket, "--user=root", "--batch", "--skip-column-names",
        };
        if (database is not null)
        {
            args.Add("--database=" + database);
        }

        return ToolProcess.Run(_client, args, sql, TimeSpan.FromMinutes(5));
    }

    private static MariaDbServer CreateShared()
    {
        var socket = TestServices.MariaDbSocket ?? throw new InvalidOperationException(
            $"{TestServices.RequireServicesVariable}=1 but {TestServices.SocketVariable} is not set: " +
            "the test MariaDB was not started (run ./build.sh test)");
        return TryConnect(socket, out var error) ?? throw new InvalidOperationException(
            $"the test MariaDB at {socket} is not reachable: {error}");
    }

    private static string Abbreviate(string sql) => sql.Length <= 300 ? sql : sql[..300] + "...";
}
