using BinlogArchive.Core.Storage;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Storage;

/// <summary>The environment contract between tests/services/storage.sh (via ./build.sh test) and the storage tests.</summary>
internal static class StorageServices
{
    public static string? AzuriteEndpoint => Get("BINLOG_TEST_AZURITE_ENDPOINT");

    public static string AzuriteAccount => Get("BINLOG_TEST_AZURITE_ACCOUNT") ?? "devstoreaccount1";

    public static string? AzuriteKey => Get("BINLOG_TEST_AZURITE_KEY");

    public static string? S3Endpoint => Get("BINLOG_TEST_S3_ENDPOINT");

    public static string S3AccessKey => Get("BINLOG_TEST_S3_ACCESS_KEY") ?? "S3RVER";

    public static string S3SecretKey => Get("BINLOG_TEST_S3_SECRET_KEY") ?? "S3RVER";

    public static string? SkipReason(string? endpoint, string name)
    {
        if (TestServices.RequireServices)
        {
            return null;
        }

        return endpoint is null ? $"skipped: no {name} test server (run ./build.sh test, or eval \"$(tests/services/storage.sh start DIR)\")" : null;
    }

    public static string Require(string? endpoint, string name) =>
        endpoint ?? throw new InvalidOperationException($"{name} test server required (BINLOG_TEST_REQUIRE_SERVICES=1) but its endpoint variable is unset");

    /// <summary>Small sizes so multipart paths run in milliseconds; quick retries so fault tests stay short.</summary>
    public static StoreOptions SmallParts(string stateDir, long partSize = 256 * 1024) => new()
    {
        MultipartThreshold = partSize * 2,
        PartSize = partSize,
        Concurrency = 3,
        StateDirectory = stateDir,
        Retry = new RetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
        RequestTimeout = TimeSpan.FromSeconds(3),
    };

    /// <summary>
    /// Credentials travel in process-wide variables (the SDK chain and our Azure lookup read them),
    /// so tests that change them serialise on this lock.
    /// </summary>
    public static readonly SemaphoreSlim EnvironmentLock = new(1, 1);

    private static string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
