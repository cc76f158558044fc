namespace BinlogArchive.Tests.Storage;

/// <summary>A fact that needs the s3rver from ./build.sh test; skipped without it unless BINLOG_TEST_REQUIRE_SERVICES=1.</summary>
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (StorageServices.SkipReason(StorageServices.S3Endpoint, "S3 (s3rver)") is { } reason)
        {
            Skip = reason;
        }
    }
}
