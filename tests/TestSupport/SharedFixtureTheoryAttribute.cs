namespace BinlogArchive.Tests;

/// <summary>A theory that needs ../shared/fixtures/mysql-binlogs; reported skipped (never passed) without it.</summary>
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    public SharedFixtureTheoryAttribute()
    {
        if (RepoPaths.SharedBinlogFixtures is null)
        {
            Skip = "skipped: ../shared/fixtures/mysql-binlogs is absent (set BINLOG_SHARED_FIXTURES to run)";
        }
    }
}
