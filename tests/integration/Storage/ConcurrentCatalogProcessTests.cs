using System.Diagnostics;
using System.Text.Json;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>Two `send` processes updating one server's catalog at the same moment: no entry is lost.</summary>
[Collection(StorageCollection.Name)]
public sealed class ConcurrentCatalogProcessTests(StorageFixture fixture) : IDisposable
{
    private const int PerProcess = 8;
    private readonly TempDirectory _temp = new("catalog2p");

    [Fact]
    public void Two_processes_sending_to_one_filesystem_catalog_lose_no_entry() =>
        RaceTwoSenders(_temp.Combine("store"), _temp.Combine("store"));

    [S3Fact]
    public async Task Two_processes_sending_to_one_S3_catalog_lose_no_entry()
    {
        var bucket = await fixture.CreateBucketAsync();

        // s3rver ignores If-Match/If-None-Match on PUT; the proxy enforces them as AWS S3 does.
        using var proxy = new FaultProxy(StorageServices.Require(StorageServices.S3Endpoint, "S3"), enforceS3Conditions: true);
        RaceTwoSenders($"s3://{bucket}/prod?endpoint={proxy.Url}&path_style=true", $"s3://{bucket}/prod?endpoint={StorageServices.S3Endpoint}&path_style=true");
    }

    public void Dispose() => _temp.Dispose();

    private void RaceTwoSenders(string destination, string listSource)
    {
        var odd = ArchivesIn("odd", Enumerable.Range(0, PerProcess).Select(i => 2L * i + 1));
        var even = ArchivesIn("even", Enumerable.Range(0, PerProcess).Select(i => 2L * i + 2));

        // Each process sends its files one by one, so their catalog updates interleave.
        using var a = CliRunner.Start(["send", "--destination", destination, "--server", "db1", "--state-dir", _temp.Combine("sa"), .. odd]);
        using var b = CliRunner.Start(["send", "--destination", destination, "--server", "db1", "--state-dir", _temp.Combine("sb"), .. even]);
        var errA = a.StandardError.ReadToEndAsync();
        var errB = b.StandardError.ReadToEndAsync();
        Assert.True(a.WaitForExit(TimeSpan.FromMinutes(2)) && b.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.True(a.ExitCode == 0, errA.Result);
        Assert.True(b.ExitCode == 0, errB.Result);

        var list = CliRunner.Run(["list", "--source", listSource, "--server", "db1", "--json"], env: null);
        var files = JsonDocument.Parse(list.StdOut).RootElement[0].GetProperty("files").EnumerateArray()
            .Select(f => f.GetProperty("sequence").GetInt64()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 2 * PerProcess).Select(i => (long)i), files);
    }

    private string[] ArchivesIn(string name, IEnumerable<long> sequences)
    {
        var dir = _temp.Combine(name);
        Directory.CreateDirectory(dir);
        return sequences.Select(s => TestArchives.Create(dir, s, 2000)).ToArray();
    }
}
