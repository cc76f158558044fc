namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// Decides, once per test process, whether [MariaDbFact] tests run or are skipped.
/// Skip only when services are optional (a developer's plain `dotnet test`); with
/// BINLOG_TEST_REQUIRE_SERVICES=1 the tests always run, and fail in
/// <see cref="MariaDbServer.Shared"/> with the reason when the server is missing or down.
/// </summary>
internal static class MariaDbAvailability
{
    private static readonly Lazy<string?> LazySkipReason = new(ComputeSkipReason);

    /// <summary>Null when the tests should run.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    private static string? ComputeSkipReason()
    {
        if (TestServices.RequireServices)
        {
            return null;
        }

        var socket = TestServices.MariaDbSocket;
        if (socket is null)
        {
            return TestServices.NoServerSkipReason;
        }

        // A stale variable from an old shell: skip with the reason rather than fail, since
        // services are optional here.
        return MariaDbServer.TryConnect(socket, out var error) is null
            ? $"skipped: MariaDB test server at {socket} not reachable ({error}); run ./build.sh test"
            : null;
    }
}
