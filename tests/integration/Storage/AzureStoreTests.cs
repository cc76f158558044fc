using System.Text;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

[Collection(StorageCollection.Name)]
public sealed class AzureStoreTests(StorageFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new("azstore");

    private static string Endpoint => StorageServices.Require(StorageServices.AzuriteEndpoint, "Azurite");

    private string StateDir => _temp.Combine("state");

    private static string UriFor(string container, string endpoint) => $"azblob://{StorageServices.AzuriteAccount}/{container}/pfx/x?endpoint={endpoint}";

    [AzuriteFact]
    public async Task RoundTripIsByteIdentical()
    {
        var container = await fixture.CreateContainerAsync();
        using var store = ArchiveStoreFactory.Open(UriFor(container, Endpoint), StorageServices.SmallParts(StateDir));
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, 100_000);
    }

    [AzuriteFact]
    public async Task BlockUploadRoundTripSendsEachBlockOnce()
    {
        var container = await fixture.CreateContainerAsync();
        using var proxy = new FaultProxy(Endpoint);
        using var store = ArchiveStoreFactory.Open(UriFor(container, proxy.Url), StorageServices.SmallParts(StateDir));
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, 1_300_000);
        var blocks = proxy.Requests.Where(r => BlockOf(r) is not null).ToList();
        Assert.Equal(5, blocks.Count);
        Assert.All(blocks, b => Assert.Equal(201, b.Status));
        Assert.Single(proxy.Requests, r => r.PathAndQuery.Contains("comp=blocklist", StringComparison.Ordinal) && r.Method == "PUT");
    }

    [AzuriteFact]
    public async Task ConditionalPuts()
    {
        var container = await fixture.CreateContainerAsync();
        using var store = ArchiveStoreFactory.Open(UriFor(container, Endpoint), StorageServices.SmallParts(StateDir));
        await StoreContract.ConditionalPuts(store);
    }

    [AzuriteFact]
    public async Task ConcurrentCatalogWritersLoseNothing()
    {
        var container = await fixture.CreateContainerAsync();
        await StoreContract.ConcurrentCatalogWritersLoseNothing(
            () => ArchiveStoreFactory.Open(UriFor(container, Endpoint), StorageServices.SmallParts(StateDir)), writers: 6, entriesEach: 4);
    }

    [AzuriteFact]
    public async Task SendLifecycle()
    {
        var container = await fixture.CreateContainerAsync();
        using var store = ArchiveStoreFactory.Open(UriFor(container, Endpoint), StorageServices.SmallParts(StateDir));
        await StoreContract.SendLifecycle(store, _temp.Path);
    }

    [AzuriteFact]
    public async Task InterruptedUploadResumesFromStagedBlocks()
    {
        var container = await fixture.CreateContainerAsync();
        using var proxy = new FaultProxy(Endpoint);
        var file = TestArchives.RandomFile(_temp.Path, "big.bin", 2_000_000, seed: 3);
        var options = StorageServices.SmallParts(StateDir) with { Concurrency = 2 };
        proxy.Rule = r => BlockOf(r) >= 4 ? Fault.Drop : Fault.None;
        using (var store = ArchiveStoreFactory.Open(UriFor(container, proxy.Url), options))
        {
            var ex = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.PutFileAsync("big.bin", file, PutOptions.Default));
            Assert.True(ex.Kind == ErrorKind.ConnectionError, ex.ErrorId + ": " + ex.Message);
            Assert.Contains(container, ex.Message, StringComparison.Ordinal);
        }

        var firstRun = proxy.Requests;
        var confirmed = firstRun.Where(r => r.Status == 201 && BlockOf(r) is not null).Select(r => BlockOf(r)!.Value).ToHashSet();
        Assert.Superset(new HashSet<int> { 0, 1, 2, 3 }, confirmed);

        proxy.Rule = null;
        using (var store = ArchiveStoreFactory.Open(UriFor(container, proxy.Url), options))
        {
            await store.PutFileAsync("big.bin", file, PutOptions.Default);
            Assert.Equal(await File.ReadAllBytesAsync(file), await TestArchives.ReadAllAsync(store, "big.bin"));
        }

        var resent = proxy.Requests.Skip(firstRun.Count).Where(r => BlockOf(r) is not null).Select(r => BlockOf(r)!.Value).ToHashSet();
        Assert.Empty(resent.Intersect(confirmed));
        Assert.Equal(Enumerable.Range(0, 8).Except(confirmed).Order(), resent.Order());
    }

    [AzuriteFact]
    public async Task DroppedThrottledStalledAndCorruptedBlocksAreRetried()
    {
        var container = await fixture.CreateContainerAsync();
        using var proxy = new FaultProxy(Endpoint);
        var file = TestArchives.RandomFile(_temp.Path, "faults.bin", 1_800_000, seed: 4);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        proxy.Rule = r =>
        {
            if (BlockOf(r) is not { } block || seen.AddOrUpdate(block, 1, (_, n) => n + 1) > 1)
            {
                return Fault.None;
            }

            return block switch
            {
                1 => Fault.Drop,
                2 => Fault.SlowDown,
                3 => Fault.Stall,
                4 => Fault.InternalError,
                5 => Fault.BadDigest,
                _ => Fault.None,
            };
        };
        using var store = ArchiveStoreFactory.Open(UriFor(container, proxy.Url), StorageServices.SmallParts(StateDir));
        await store.PutFileAsync("faults.bin", file, PutOptions.Default);
        Assert.Equal(await File.ReadAllBytesAsync(file), await TestArchives.ReadAllAsync(store, "faults.bin"));
        var blocks = proxy.Requests.Where(r => BlockOf(r) is not null).ToList();
        Assert.All(blocks.Where(p => p.Status == 201).GroupBy(p => BlockOf(p)), g => Assert.Single(g));
        Assert.Equal(7, blocks.Count(p => p.Status == 201));
        foreach (var faulted in new[] { 1, 2, 3, 4, 5 })
        {
            Assert.Equal(2, blocks.Count(p => BlockOf(p) == faulted));
        }
    }

    [AzuriteFact]
    public async Task RealServerRejectsABadContentMd5()
    {
        // Not through our store (which always sends the right digest): proves Azurite checks it,
        // so the Md5Mismatch handling above is exercised against the real answer's shape too.
        var container = await fixture.CreateContainerAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Endpoint}/{container}/bad.bin") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("hello")) };
        request.Content.Headers.ContentMD5 = new byte[16];
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Headers.Add("x-ms-version", "2021-08-06");
        request.Headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Core.Storage.AzureBlob.SharedKeySigner.Sign(request, StorageServices.AzuriteAccount, Convert.FromBase64String(StorageServices.AzuriteKey!));
        using var response = await http.SendAsync(request);
        Assert.Equal(400, (int)response.StatusCode);
        // Azurite says 400 InvalidOperation "Provided contentMD5 doesn't match." where Azure says Md5Mismatch; both must classify as a checksum refusal.
        var code = response.Headers.GetValues("x-ms-error-code").Single();
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = new Core.Storage.AzureBlob.AzureRequestException(response.StatusCode, code, (string?)xml.Root!.Element("Message") ?? "");
        Assert.True(error.IsChecksumMismatch, error.Message);
        Assert.True(error.IsTransient);
    }

    [AzuriteFact]
    public async Task MissingContainerIsAClearError()
    {
        using var store = ArchiveStoreFactory.Open(UriFor("no-such-container", Endpoint), StorageServices.SmallParts(StateDir));
        var ex = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.CheckAccessAsync());
        Assert.Equal("StoreNotFound", ex.ErrorId);
        Assert.Contains("no-such-container", ex.Message, StringComparison.Ordinal);
        var put = await Assert.ThrowsAsync<BinlogArchiveException>(() => store.PutBytesAsync("a.json", new byte[] { 1 }, PutOptions.Default));
        Assert.Equal("StoreNotFound", put.ErrorId);
    }

    /// <summary>Block index from the block id (base64 of "&lt;content-hash&gt;-NNNNNN").</summary>
    private static int? BlockOf(ProxiedRequest r)
    {
        if (r.Method != "PUT" || !r.PathAndQuery.Contains("comp=block&", StringComparison.Ordinal))
        {
            return null;
        }

        var id = Uri.UnescapeDataString(r.PathAndQuery.Split("blockid=")[1].Split('&')[0]);
        var text = Encoding.ASCII.GetString(Convert.FromBase64String(id));
        return int.Parse(text[(text.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _temp.Dispose();
}
