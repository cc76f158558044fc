namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// A MariaDB of the test's own, started with tests/services/mariadb.sh (binary logging, GTIDs,
/// gtid_strict_mode). <see cref="StartOnDataDirectory"/> starts one on a copy of a prepared
/// mariadb-backup directory: the "fresh target restored from the base backup" of a restore test.
/// </summary>
public sealed class ThrowawayMariaDb : IDisposable
{
    private ThrowawayMariaDb(string baseDirectory, MariaDbServer server, string dataDirectory)
    {
        BaseDirectory = baseDirectory;
        Server = server;
        DataDirectory = dataDirectory;
    }

    public string BaseDirectory { get; }

    public string DataDirectory { get; }

    public MariaDbServer Server { get; }

    public string Socket => Server.Socket;

    private static string Script => Path.Combine(RepoPaths.Root, "tests", "services", "mariadb.sh");

    /// <summary>A new, empty server. <paramref name="baseDirectory"/> must be short (unix socket path limit).</summary>
    public static ThrowawayMariaDb Start(string baseDirectory) => Launch(baseDirectory);

    /// <summary>A server on a copy of <paramref name="preparedBackup"/> (cp -a of a prepared mariadb-backup directory).</summary>
    public static ThrowawayMariaDb StartOnDataDirectory(string baseDirectory, string preparedBackup)
    {
        var data = Path.Combine(baseDirectory, "data");
        Directory.CreateDirectory(data);
        var copy = ToolProcess.Run("cp", ["-a", preparedBackup.TrimEnd('/') + "/.", data], timeout: TimeSpan.FromMinutes(2));
        if (copy.ExitCode != 0)
        {
            throw new InvalidOperationException($"copying the backup failed: {copy.StandardError}");
        }

        return Launch(baseDirectory);
    }

    private static ThrowawayMariaDb Launch(string baseDirectory)
    {
        var r = ToolProcess.Run("bash", [Script, "start", baseDirectory], timeout: TimeSpan.FromMinutes(2));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb.sh start failed (exit {r.ExitCode}): {r.StandardError}");
        }

        var socket = r.StandardOutput.Split('\n')
            .Select(l => l.Trim())
            .First(l => l.StartsWith("export BINLOG_TEST_MARIADB_SOCKET=", StringComparison.Ordinal))
            .Split('=', 2)[1].Trim('\'');
        return new ThrowawayMariaDb(baseDirectory, new MariaDbServer(socket), Path.Combine(baseDirectory, "data"));
    }

    public void Dispose()
    {
        ToolProcess.Run("bash", [Script, "stop", BaseDirectory], timeout: TimeSpan.FromMinutes(2));
    }
}
