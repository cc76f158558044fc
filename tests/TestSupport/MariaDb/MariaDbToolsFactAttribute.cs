namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// A fact that needs the MariaDB client tools (mariadb-binlog) but no server. Skipped when they
/// are not installed, unless BINLOG_TEST_REQUIRE_SERVICES=1 (./build.sh test installs them).
/// </summary>
public sealed class MariaDbToolsFactAttribute : FactAttribute
{
    public MariaDbToolsFactAttribute()
    {
        if (TestServices.RequireServices)
        {
            return;
        }

        try
        {
            ToolProcess.Find("mariadb-binlog");
        }
        catch (FileNotFoundException)
        {
            Skip = "skipped: mariadb-binlog not installed (apt-get install mariadb-client, or run ./build.sh test)";
        }
    }
}
