namespace BinlogArchive.Tests.Storage;

/// <summary>A fact that needs the Azurite from ./build.sh test; skipped without it unless BINLOG_TEST_REQUIRE_SERVICES=1.</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute()
    {
        if (StorageServices.SkipReason(StorageServices.AzuriteEndpoint, "Azurite") is { } reason)
        {
            Skip = reason;
        }
    }
}
