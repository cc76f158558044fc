using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Unit.Storage;

public sealed class FileSystemStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new("fsstore");

    private IArchiveStore Open() => ArchiveStoreFactory.Open(_temp.Combine("store"));

    [Fact]
    public async Task RoundTripRangeListDelete()
    {
        using var store = Open();
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, 300_000);
        // Nothing of ours (temp files, locks) is left visible as an object.
        Assert.DoesNotContain(Directory.EnumerateFiles(_temp.Combine("store"), "*.partial", SearchOption.AllDirectories), _ => true);
    }

    [Fact]
    public async Task LargeObjectsUseSizeTimeETagAndStillRoundTrip()
    {
        using var store = Open();
        var size = (int)(9L << 20);
        await StoreContract.RoundTripRangeListDelete(store, _temp.Path, size);
    }

    [Fact]
    public async Task ConditionalPuts()
    {
        using var store = Open();
        await StoreContract.ConditionalPuts(store);
    }

    [Fact]
    public async Task ConcurrentCatalogWritersLoseNothing()
    {
        await StoreContract.ConcurrentCatalogWritersLoseNothing(Open, writers: 8, entriesEach: 5);
    }

    [Fact]
    public async Task SendLifecycle()
    {
        using var store = Open();
        await StoreContract.SendLifecycle(store, _temp.Path);
    }

    [Fact]
    public async Task RebuildAndReportFindGapsAndChainBreaks()
    {
        using var store = Open();
        var dir = _temp.Combine("src");
        Directory.CreateDirectory(dir);
        var u = TestArchives.ServerUuid;
        var sender = new Core.Storage.Sending.BinlogSender(store);
        // 1 -> 2 chain fine; 3 missing; 5 does not continue 4.
        await sender.SendAsync(TestArchives.Create(dir, 1, 100, "", $"{u}:1-5"), new() { UpdateCatalog = false });
        await sender.SendAsync(TestArchives.Create(dir, 2, 100, $"{u}:1-5", $"{u}:6-9"), new() { UpdateCatalog = false });
        await sender.SendAsync(TestArchives.Create(dir, 4, 100, $"{u}:1-12", $"{u}:13"), new() { UpdateCatalog = false });
        await sender.SendAsync(TestArchives.Create(dir, 5, 100, $"{u}:1-20", ""), new() { UpdateCatalog = false });

        var catalog = new ArchiveCatalog(store);
        Assert.Null(await catalog.ReadAsync(null, u));
        var rebuilt = await catalog.RebuildAsync(null, u);
        Assert.Equal([1L, 2, 4, 5], rebuilt.Files.Select(f => f.Sequence));
        var report = ArchiveCatalog.Report(null, rebuilt);
        Assert.Equal([3L], report.MissingSequences);
        var chainBreak = Assert.Single(report.ChainBreaks);
        Assert.Equal(5, chainBreak.Sequence);
        Assert.Equal($"{u}:1-13", chainBreak.Expected);
        Assert.Equal(rebuilt.Files[1].LastEventAt, report.LatestRestorableTime);
        Assert.True(report.HasProblems);
        Assert.Equal([u], await catalog.ListServersAsync(null));
    }

    [Fact]
    public void UploadStateIsPrivateToTheDestinationAndKey()
    {
        var states = new UploadStateStore(_temp.Combine("state"));
        Assert.NotEqual(states.PathFor("s3://a/b", "k"), states.PathFor("s3://a/c", "k"));
        Assert.Null(states.Load("s3://a/b", "k"));
        states.Save("s3://a/b", "k", new MultipartUploadState { Destination = "s3://a/b", Key = "k", LocalPath = "/x", UploadId = "u", Parts = [new ConfirmedPart(1, "\"e\"", 5)] });
        Assert.Equal("\"e\"", Assert.Single(states.Load("s3://a/b", "k")!.Parts).ETag);
    }

    public void Dispose() => _temp.Dispose();
}
