using System.Text.RegularExpressions;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

[Collection(StorageCollection.Name)]
public sealed partial class S3StoreTests(StorageFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new("s3store");

    private static string Endpoint => StorageServices.Require(StorageServices.S3Endpoint, "S3");

    private string StateDir => _temp.Combine("state");

    private static string UriFor(string bucket, string endpoint) => $"s3://{bucket}/pfx/x?endpoint={endpoint}&path_style=true";

    [S3Fact]
    public async Task RoundTripIsByteIdentical()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, Endpoint), StorageServices.SmallParts(StateDir));
        // 100,000 bytes: with aws-chunked encoding s3rver stored 100,265.
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, 100_000);
    }

    [S3Fact]
    public async Task MultipartRoundTripSendsEachPartOnceWithChecksum()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint);
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir));
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, 1_300_000);
        var parts = proxy.Requests.Where(r => PartOf(r) is not null).ToList();
        Assert.Equal(5, parts.Count); // 1,300,000 / 262,144 -> 5 parts
        Assert.All(parts, p => Assert.Equal(200, p.Status));
    }

    [S3Fact]
    public async Task ConditionalPutsThroughEnforcingProxy()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint, enforceS3Conditions: true);
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir));
        await StoreContract.ConditionalPuts(store);
    }

    [S3Fact]
    public async Task ConcurrentCatalogWritersLoseNothing()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint, enforceS3Conditions: true);
        await StoreContract.ConcurrentCatalogWritersLoseNothing(
            () => ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir)), writers: 6, entriesEach: 4);
        Assert.Contains(proxy.Requests, r => r.Status == 412);
    }

    [S3Fact]
    public async Task SendLifecycle()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint, enforceS3Conditions: true);
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir));
        await StoreContract.SendLifecycle(store, _temp.Path);
    }

    [S3Fact]
    public async Task InterruptedUploadResumesWithoutResendingConfirmedParts()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint);
        var file = TestArchives.RandomFile(_temp.Path, "big.bin", 2_000_000, seed: 3);
        var options = StorageServices.SmallParts(StateDir) with { Concurrency = 2 };

        // First run: the network dies for parts 5 and later, every time.
        proxy.Rule = r => PartOf(r) >= 5 ? Fault.Drop : Fault.None;
        using (var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), options))
        {
            var ex = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.PutFileAsync("big.bin", file, PutOptions.Default));
            Assert.True(ex.Kind == ErrorKind.ConnectionError, ex.ErrorId + ": " + ex.Message + " / " + string.Join("\n", proxy.Requests));
            Assert.Contains(bucket, ex.Message, StringComparison.Ordinal);
        }

        var firstRun = proxy.Requests;
        var confirmed = firstRun.Where(r => r.Status == 200 && PartOf(r) is not null).Select(r => PartOf(r)!.Value).ToHashSet();
        Assert.Superset(new HashSet<int> { 1, 2, 3, 4 }, confirmed);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(StateDir, "uploads")));

        // Second run (a new process would read the same state file): only the missing parts go.
        proxy.Rule = null;
        using (var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), options))
        {
            await store.PutFileAsync("big.bin", file, PutOptions.Default);
            Assert.Equal(await File.ReadAllBytesAsync(file), await TestArchives.ReadAllAsync(store, "big.bin"));
        }

        var secondRun = proxy.Requests.Skip(firstRun.Count).ToList();
        var resent = secondRun.Where(r => PartOf(r) is not null).Select(r => PartOf(r)!.Value).ToHashSet();
        Assert.Empty(resent.Intersect(confirmed));
        Assert.Equal(Enumerable.Range(1, 8).Except(confirmed).Order(), resent.Order());
        Assert.DoesNotContain(secondRun, r => r.Method == "POST" && r.PathAndQuery.EndsWith("?uploads", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(StateDir, "uploads")));
    }

    [S3Fact]
    public async Task DroppedThrottledStalledAndCorruptedPartsAreRetried()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint);
        var file = TestArchives.RandomFile(_temp.Path, "faults.bin", 1_800_000, seed: 4);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        proxy.Rule = r =>
        {
            if (PartOf(r) is not { } part || seen.AddOrUpdate(part, 1, (_, n) => n + 1) > 1)
            {
                return Fault.None;
            }

            return part switch
            {
                2 => Fault.Drop,
                3 => Fault.SlowDown,
                4 => Fault.Stall,
                5 => Fault.InternalError,
                6 => Fault.BadDigest,
                _ => Fault.None,
            };
        };
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir));
        await store.PutFileAsync("faults.bin", file, PutOptions.Default);
        proxy.Rule = null;
        Assert.Equal(await File.ReadAllBytesAsync(file), await TestArchives.ReadAllAsync(store, "faults.bin"));

        var parts = proxy.Requests.Where(r => PartOf(r) is not null).ToList();
        // Every part confirmed exactly once; each faulted part was sent exactly twice.
        Assert.All(parts.Where(p => p.Status == 200).GroupBy(p => PartOf(p)), g => Assert.Single(g));
        Assert.Equal(7, parts.Count(p => p.Status == 200));
        foreach (var faulted in new[] { 2, 3, 4, 5, 6 })
        {
            Assert.Equal(2, parts.Count(p => PartOf(p) == faulted));
        }
    }

    [S3Fact]
    public async Task PersistentChecksumRejectionIsReported()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(Endpoint) { Rule = r => PartOf(r) == 2 ? Fault.BadDigest : Fault.None };
        var file = TestArchives.RandomFile(_temp.Path, "digest.bin", 800_000, seed: 5);
        using var store = ArchiveStoreFactory.Open(UriFor(bucket, proxy.Url), StorageServices.SmallParts(StateDir));
        var ex = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.PutFileAsync("digest.bin", file, PutOptions.Default));
        Assert.Equal("StoreChecksumRejected", ex.ErrorId);
        Assert.Contains("Content-MD5", ex.Message, StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task MissingBucketIsAClearError()
    {
        using var store = ArchiveStoreFactory.Open(UriFor("no-such-bucket-here", Endpoint), StorageServices.SmallParts(StateDir));
        var ex = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.CheckAccessAsync());
        Assert.Equal("StoreNotFound", ex.ErrorId);
        Assert.Contains("no-such-bucket-here", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[?&]partNumber=(\d+)")]
    private static partial Regex PartNumber();

    private static int? PartOf(ProxiedRequest r) =>
        r.Method == "PUT" && PartNumber().Match(r.PathAndQuery) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public void Dispose() => _temp.Dispose();
}
