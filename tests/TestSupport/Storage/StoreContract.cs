using System.Text;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Tests.Storage;

/// <summary>
/// Behaviour every store must show, run against the filesystem store (unit tests) and against
/// s3rver and Azurite (integration tests). Each check uses its own key prefix.
/// </summary>
internal static class StoreContract
{
    public static async Task RoundTripRangeListDelete(IArchiveStore store, string scratch, int size)
    {
        var path = TestArchives.RandomFile(scratch, "roundtrip.bin", size, seed: 7);
        var expected = await File.ReadAllBytesAsync(path);
        var stored = await store.PutFileAsync("rt/a/one.bin", path, PutOptions.Default);
        Assert.Equal(size, stored.Size);

        // Byte-identical: no transfer framing (aws-chunked) may end up inside the object.
        var head = await store.HeadAsync("rt/a/one.bin");
        Assert.NotNull(head);
        Assert.Equal(size, head.Size);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(expected)).ToLowerInvariant(), head.Sha256 ?? Sha(expected));
        Assert.Equal(expected, await TestArchives.ReadAllAsync(store, "rt/a/one.bin"));

        // Range reads.
        Assert.Equal(expected.AsSpan(1000, 5000).ToArray(), await TestArchives.ReadAllAsync(store, "rt/a/one.bin", 1000, 5000));
        Assert.Equal(expected.AsSpan(size - 10).ToArray(), await TestArchives.ReadAllAsync(store, "rt/a/one.bin", size - 10));
        Assert.Empty(await TestArchives.ReadAllAsync(store, "rt/a/one.bin", 5, 0));
        var opened = await store.OpenReadAsync("rt/a/one.bin", 100, 10);
        await using (opened!)
        {
            Assert.Equal(size, opened!.Info.Size);
        }

        await store.PutBytesAsync("rt/a/two.json", Encoding.UTF8.GetBytes("{}"), PutOptions.Default);
        await store.PutBytesAsync("rt/b/three.json", Encoding.UTF8.GetBytes("[]"), PutOptions.Default);
        await store.PutBytesAsync("rtx/other.json", Encoding.UTF8.GetBytes("[]"), PutOptions.Default);
        var listed = new List<StoredObject>();
        await foreach (var o in store.ListAsync("rt/"))
        {
            listed.Add(o);
        }

        Assert.Equal(["rt/a/one.bin", "rt/a/two.json", "rt/b/three.json"], listed.Select(o => o.Key));
        Assert.Equal(size, listed[0].Size);

        Assert.Null(await store.HeadAsync("rt/a/missing.bin"));
        Assert.Null(await store.OpenReadAsync("rt/a/missing.bin"));
        await store.DeleteAsync("rt/a/two.json");
        Assert.Null(await store.HeadAsync("rt/a/two.json"));
        await store.DeleteAsync("rt/a/two.json");
    }

    /// <summary>If-None-Match: * refuses an existing object; If-Match refuses a stale ETag and accepts the current one.</summary>
    public static async Task ConditionalPuts(IArchiveStore store)
    {
        var created = await store.PutBytesAsync("cond/x.json", Encoding.UTF8.GetBytes("v1"), new PutOptions { Condition = PutCondition.IfNoneExists });
        await Assert.ThrowsAsync<StorePreconditionFailedException>(() =>
            store.PutBytesAsync("cond/x.json", Encoding.UTF8.GetBytes("v2"), new PutOptions { Condition = PutCondition.IfNoneExists }));
        var second = await store.PutBytesAsync("cond/x.json", Encoding.UTF8.GetBytes("v2"), new PutOptions { Condition = PutCondition.IfMatch(created.ETag) });
        Assert.NotEqual(created.ETag, second.ETag);
        await Assert.ThrowsAsync<StorePreconditionFailedException>(() =>
            store.PutBytesAsync("cond/x.json", Encoding.UTF8.GetBytes("v3"), new PutOptions { Condition = PutCondition.IfMatch(created.ETag) }));
        Assert.Equal("v2", Encoding.UTF8.GetString(await TestArchives.ReadAllAsync(store, "cond/x.json")));
    }

    /// <summary>Many writers add to one catalog at once; every entry must survive.</summary>
    public static async Task ConcurrentCatalogWritersLoseNothing(Func<IArchiveStore> openStore, int writers, int entriesEach)
    {
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var store = openStore();
            var catalog = new ArchiveCatalog(store);
            for (var i = 0; i < entriesEach; i++)
            {
                var seq = (w * entriesEach) + i + 1;
                await catalog.AddAsync("tenant", "srv", [new CatalogEntry { Sequence = seq, File = $"mysql-bin.{seq:D6}", ArchiveKey = $"tenant/srv/binlogs/mysql-bin.{seq:D6}.zst.enc" }]);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        using var check = openStore();
        var read = await new ArchiveCatalog(check).ReadAsync("tenant", "srv");
        Assert.NotNull(read);
        Assert.Equal(Enumerable.Range(1, writers * entriesEach).Select(i => (long)i), read.Value.Document.Files.Select(f => f.Sequence));
    }

    /// <summary>The send discipline: created, then a no-op, conflict on different content, force replaces, dry run writes nothing.</summary>
    public static async Task SendLifecycle(IArchiveStore store, string scratch)
    {
        var dir = Directory.CreateDirectory(Path.Combine(scratch, "send")).FullName;
        var archive = TestArchives.Create(dir, 7, 50_000, previousGtids: "", addedGtids: TestArchives.ServerUuid + ":1-10");
        var sender = new BinlogSender(store);

        var dry = await sender.SendAsync(archive, new SendOptions { DryRun = true, Tenant = "t1" });
        Assert.Equal(SendOutcome.WouldStore, dry.Outcome);
        Assert.Null(await store.HeadAsync(dry.Key));
        Assert.Null(await store.HeadAsync(ArchiveCatalog.KeyFor("t1", TestArchives.ServerUuid)));

        var first = await sender.SendAsync(archive, new SendOptions { Tenant = "t1" });
        Assert.Equal(SendOutcome.Created, first.Outcome);
        Assert.Equal($"t1/{TestArchives.ServerUuid}/binlogs/mysql-bin.000007.zst.enc", first.Key);
        Assert.Equal(Path.GetFullPath(archive), first.FullName);
        Assert.Equal(7, first.Sequence);
        Assert.Equal(await File.ReadAllBytesAsync(archive), await TestArchives.ReadAllAsync(store, first.Key));
        Assert.Equal(await File.ReadAllBytesAsync(Sidecar.PathFor(archive)), await TestArchives.ReadAllAsync(store, first.Key + ".json"));
        var catalog = await new ArchiveCatalog(store).ReadAsync("t1", TestArchives.ServerUuid);
        Assert.Equal("mysql-bin.000007", Assert.Single(catalog!.Value.Document.Files).File);

        var again = await sender.SendAsync(archive, new SendOptions { Tenant = "t1" });
        Assert.Equal(SendOutcome.AlreadyStored, again.Outcome);

        // Different content under the same name.
        var otherDir = Directory.CreateDirectory(Path.Combine(scratch, "send-other")).FullName;
        var other = TestArchives.Create(otherDir, 7, 50_001, seed: 99);
        var conflict = await Assert.ThrowsAsync<BinlogArchiveException>(() => sender.SendAsync(other, new SendOptions { Tenant = "t1" }));
        Assert.Equal("ArchiveConflict", conflict.ErrorId);
        Assert.Contains(first.Key, conflict.Message, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(archive), await TestArchives.ReadAllAsync(store, first.Key));

        var forced = await sender.SendAsync(other, new SendOptions { Tenant = "t1", Force = true });
        Assert.Equal(SendOutcome.Created, forced.Outcome);
        Assert.Equal(await File.ReadAllBytesAsync(other), await TestArchives.ReadAllAsync(store, first.Key));

        // A damaged local archive is refused before anything is written.
        var damagedDir = Directory.CreateDirectory(Path.Combine(scratch, "send-damaged")).FullName;
        var damaged = TestArchives.Create(damagedDir, 8, 1000);
        await File.WriteAllBytesAsync(damaged, new byte[1000]);
        var bad = await Assert.ThrowsAsync<BinlogArchiveException>(() => sender.SendAsync(damaged, new SendOptions { Tenant = "t1" }));
        Assert.Equal("ArchiveHashMismatch", bad.ErrorId);
        Assert.Null(await store.HeadAsync($"t1/{TestArchives.ServerUuid}/binlogs/mysql-bin.000008.zst.enc"));
        Assert.True(File.Exists(damaged));
    }

    private static string Sha(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();
}
