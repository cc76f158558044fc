using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// The restore's view of a store: which archives a server has (catalog, else a listing of the
/// sidecars), their MAC-checked sidecars, and a private cache of the <em>encrypted</em> archives,
/// each verified with <see cref="ArchiveVerifier"/> before anything reads its contents. Plaintext
/// never touches the cache (ARCHITECTURE.md §3).
/// </summary>
internal sealed class ArchiveFetcher : IDisposable
{
    /// <summary>Largest BLAR1 header: 59 fixed bytes + a u16-prefixed name + env_len + two u16-prefixed fields.</summary>
    private const int MaxHeaderBytes = 64 + 65535 * 3;

    private readonly IArchiveStore _store;
    private readonly KeyRing _keys;
    private readonly string _cacheDirectory;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _verified = new(StringComparer.Ordinal);
    private long _fetchTicks;
    private long _verifyTicks;
    private long _archiveBytes;

    public ArchiveFetcher(IArchiveStore store, KeyRing keys, string cacheDirectory)
    {
        _store = store;
        _keys = keys;
        _cacheDirectory = cacheDirectory;
    }

    public TimeSpan FetchDuration => TimeSpan.FromTicks(Interlocked.Read(ref _fetchTicks));

    public TimeSpan VerifyDuration => TimeSpan.FromTicks(Interlocked.Read(ref _verifyTicks));

    public long ArchiveBytes => Interlocked.Read(ref _archiveBytes);

    public List<string> Warnings { get; } = [];

    /// <summary>The server folder: the one given, else the only one the store (tenant) holds.</summary>
    public async Task<string> ResolveServerAsync(string? tenant, string? server, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(server))
        {
            return server;
        }

        var servers = await new ArchiveCatalog(_store).ListServersAsync(tenant, cancellationToken).ConfigureAwait(false);
        return servers.Count switch
        {
            1 => servers[0],
            0 => throw new BinlogArchiveException("RestoreNoArchives", ErrorKind.ObjectNotFound,
                $"{_store.Uri}: no server catalog found{(tenant is null ? "" : $" for tenant '{tenant}'")}.", _store.Uri,
                "Check --source and --tenant, or name the server folder with --server (a catalog can be rebuilt with binlog-archive list --rebuild)."),
            _ => throw new BinlogArchiveException("RestoreServerAmbiguous", ErrorKind.InvalidArgument,
                $"{_store.Uri} holds several servers ({string.Join(", ", servers)}); say which one to restore.", _store.Uri,
                "Pass --server with one of them."),
        };
    }

    /// <summary>
    /// Every archive of the server, each with a sidecar whose MAC was checked against its archive's
    /// header. An archive whose object is missing is left out (the planner then names the gap) and
    /// reported in <see cref="Warnings"/>; a sidecar that fails its MAC stops the restore.
    /// </summary>
    public async Task<IReadOnlyList<StoredArchive>> LoadAsync(string? tenant, string server, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var catalog = await new ArchiveCatalog(_store).ReadAsync(tenant, server, cancellationToken).ConfigureAwait(false);
        if (catalog is { } read)
        {
            keys.AddRange(read.Document.Files.Select(f => f.ArchiveKey));
        }
        else
        {
            Warnings.Add($"{_store.UriFor(ArchiveCatalog.KeyFor(tenant, server))} is missing: the archives were found by listing their sidecars.");
            await foreach (var obj in _store.ListAsync(ArchiveCatalog.BinlogsPrefix(tenant, server), cancellationToken).ConfigureAwait(false))
            {
                if (obj.Key.EndsWith(ArchiveNaming.Blar1Suffix + Sidecar.Suffix, StringComparison.Ordinal))
                {
                    keys.Add(obj.Key[..^Sidecar.Suffix.Length]);
                }
            }
        }

        var result = new List<StoredArchive>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (await LoadOneAsync(key, cancellationToken).ConfigureAwait(false) is { } archive)
            {
                result.Add(archive);
            }
        }

        return result;
    }

    private async Task<StoredArchive?> LoadOneAsync(string key, CancellationToken cancellationToken)
    {
        var uri = _store.UriFor(key);
        var name = key[(key.LastIndexOf('/') + 1)..];
        if (!name.EndsWith(ArchiveNaming.Blar1Suffix, StringComparison.Ordinal))
        {
            throw new BinlogArchiveException("RestoreFormatUnsupported", ErrorKind.InvalidData,
                $"{uri}: restore reads BLAR1 archives (.zst.enc); this archive is in another format.", uri,
                "Decrypt legacy archives by hand (openssl enc -d | zstd -d), or re-protect the source binlogs.");
        }

        var watch = Stopwatch.StartNew();
        var sidecarBytes = (await _store.ReadAllAsync(key + Sidecar.Suffix, cancellationToken: cancellationToken).ConfigureAwait(false))?.Content;
        if (sidecarBytes is null)
        {
            Warnings.Add($"{uri}: its sidecar is missing, so the archive cannot be used.");
            return null;
        }

        var sidecar = Sidecar.Parse(Encoding.UTF8.GetString(sidecarBytes), uri + Sidecar.Suffix);
        var headerLength = Math.Min(sidecar.Archive.Size, MaxHeaderBytes);
        if (await _store.ReadAllAsync(key, 0, headerLength, cancellationToken).ConfigureAwait(false) is not { } head)
        {
            Warnings.Add($"{uri} ({sidecar.Source.File}) is missing from the store: only its sidecar is there.");
            return null;
        }

        BlarHeader header;
        using (var buffer = new MemoryStream(head.Content, writable: false))
        {
            header = BlarHeader.ReadFrom(buffer, uri);
        }

        Interlocked.Add(ref _fetchTicks, watch.Elapsed.Ticks);
        using (var mac = SidecarMacKey.ForArchive(header, _keys))
        {
            if (!mac.Verify(sidecar.MacValues, sidecar.Mac) || header.SourceName != sidecar.Source.File)
            {
                throw new BinlogArchiveException("SidecarMacInvalid", ErrorKind.InvalidData,
                    $"{sidecar.Source.File}: the sidecar {uri}{Sidecar.Suffix} does not match its archive (MAC or source name): it was edited or belongs to another archive. Nothing was applied.",
                    uri, "Verify the archive (binlog-archive verify) and restore the sidecar from a good copy, or re-protect the source binlog.");
            }
        }

        return new StoredArchive(ArchivedBinlog.FromSidecar(sidecar, key), sidecar, sidecarBytes, key, uri);
    }

    /// <summary>
    /// Downloads the archive into the cache (once) and verifies it there with
    /// <see cref="ArchiveVerifier"/>; returns the cached path. Throws naming the binlog when the
    /// archive is missing or fails any check.
    /// </summary>
    public Task<string> EnsureVerifiedAsync(StoredArchive archive, CancellationToken cancellationToken) =>
        _verified.GetOrAdd(archive.ArchiveKey, _ => new Lazy<Task<string>>(() => FetchAndVerifyAsync(archive, cancellationToken))).Value;

    private async Task<string> FetchAndVerifyAsync(StoredArchive archive, CancellationToken cancellationToken)
    {
        var file = archive.Binlog.Name;
        var local = Path.Combine(_cacheDirectory, Path.GetFileName(archive.Sidecar.Archive.File));
        var watch = Stopwatch.StartNew();
        var opened = await _store.OpenReadAsync(archive.ArchiveKey, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new BinlogArchiveException("RestoreArchiveMissing", ErrorKind.ObjectNotFound,
                $"{file}: its archive {archive.ArchiveUri} is missing from the store. Nothing was applied.", archive.ArchiveUri,
                $"Send {file}'s archive again (binlog-archive send) if a copy exists, or choose a target before {file}.");
        await using (opened.ConfigureAwait(false))
        {
            await using var output = new FileStream(local, PrivateFile.Options(FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));
            await opened.Content.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _archiveBytes, output.Length);
        }

        await File.WriteAllBytesAsync(Sidecar.PathFor(local), archive.SidecarBytes, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _fetchTicks, watch.Elapsed.Ticks);

        watch.Restart();
        var verification = await Task.Run(() => new ArchiveVerifier(_keys).Verify(local, cancellationToken), cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _verifyTicks, watch.Elapsed.Ticks);
        if (!verification.Valid)
        {
            throw new BinlogArchiveException("RestoreArchiveInvalid", ErrorKind.InvalidData,
                $"{file}: the archive {archive.ArchiveUri} failed verification ({verification.ErrorId}): {verification.Error?.Replace(local, archive.ArchiveUri, StringComparison.Ordinal)} Nothing was applied.",
                archive.ArchiveUri, $"Do not use this copy of {file}: send a good archive of it again, or choose a target before {file}.");
        }

        return local;
    }

    public void Dispose()
    {
        // The cache directory belongs to the executor, which removes it.
    }
}
