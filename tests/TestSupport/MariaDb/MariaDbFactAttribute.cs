namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// A fact that needs the throwaway MariaDB from ./build.sh test. Skipped with a clear reason when
/// BINLOG_TEST_MARIADB_SOCKET is unset; never skipped when BINLOG_TEST_REQUIRE_SERVICES=1
/// (the test then fails if the server is unreachable). Use with
/// <c>[Collection(MariaDbCollection.Name)]</c> so tests that rotate binlogs do not interleave.
/// </summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (MariaDbAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
