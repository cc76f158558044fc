namespace BinlogArchive.Tests;

/// <summary>A fact that needs ../shared/fixtures/mysql-binlogs; reported skipped (never passed) without it.</summary>
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute()
    {
        if (RepoPaths.SharedBinlogFixtures is null)
        {
            Skip = "skipped: ../shared/fixtures/mysql-binlogs is absent (set BINLOG_SHARED_FIXTURES to run)";
        }
    }
}
