namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// The environment contract between ./build.sh test (tests/services/mariadb.sh) and the tests.
/// </summary>
public static class TestServices
{
    public const string SocketVariable = "BINLOG_TEST_MARIADB_SOCKET";
    public const string PortVariable = "BINLOG_TEST_MARIADB_PORT";
    public const string DataDirVariable = "BINLOG_TEST_MARIADB_DATADIR";
    public const string BaseDirVariable = "BINLOG_TEST_MARIADB_BASEDIR";
    public const string RequireServicesVariable = "BINLOG_TEST_REQUIRE_SERVICES";

    public const string NoServerSkipReason = "skipped: no MariaDB test server (run ./build.sh test)";

    public static string? MariaDbSocket => Get(SocketVariable);

    public static int? MariaDbPort => int.TryParse(Get(PortVariable), out var p) ? p : null;

    /// <summary>The server's datadir; the binlogs and mysql-bin.index live here.</summary>
    public static string? MariaDbDataDir => Get(DataDirVariable);

    /// <summary>The temp root the service script created (datadir, socket, error log).</summary>
    public static string? MariaDbBaseDir => Get(BaseDirVariable);

    /// <summary>
    /// Set by ./build.sh test (and so by CI): a test that needs a service must fail, not skip,
    /// when the service is missing, so a broken setup can never turn green by skipping.
    /// </summary>
    public static bool RequireServices => Get(RequireServicesVariable) is "1" or "true" or "yes";

    private static string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
