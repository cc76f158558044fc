using System.Diagnostics;
using System.Security.Cryptography;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage.Catalog;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Storage.Sending;

/// <summary>
/// The engine of Send-BinlogArchive / <c>binlog-archive send</c>. Follows pgBackRest's archive-push
/// discipline: a file is reported stored only once it is durable (size and SHA-256 of the stored
/// object checked against the sidecar); the same content already stored is a no-op; different
/// content under the same name is an error unless forced. The archive goes first, its sidecar
/// second, the catalog last, so a reader never finds a sidecar or catalog entry without its archive.
/// </summary>
public sealed class BinlogSender
{
    private readonly IArchiveStore _store;

    public BinlogSender(IArchiveStore store)
    {
        _store = store;
    }

    /// <summary>The archive at <paramref name="archivePath"/> with its sidecar beside it.</summary>
    public Task<StoredBinlogArchive> SendAsync(string archivePath, SendOptions options, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(archivePath);
        if (!File.Exists(full))
        {
            throw new BinlogArchiveException("ArchiveMissing", ErrorKind.ObjectNotFound, $"{full}: no such archive.", full, "Check the path.");
        }

        var sidecar = Sidecar.Load(Sidecar.PathFor(full));
        return SendAsync(BinlogArchiveEntry.FromSidecar(full, sidecar, ArchiveOutcome.AlreadyArchived), options, cancellationToken);
    }

    public async Task<StoredBinlogArchive> SendAsync(BinlogArchiveEntry entry, SendOptions options, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var sidecar = entry.Sidecar ?? Sidecar.Load(entry.SidecarPath);
        var archivePath = entry.FullName;
        var sidecarBytes = await File.ReadAllBytesAsync(entry.SidecarPath, cancellationToken).ConfigureAwait(false);
        await VerifyLocalAsync(archivePath, sidecar, cancellationToken).ConfigureAwait(false);

        var server = ServerNameFor(sidecar, options.Server);
        var archiveKey = ObjectKeys.Join(options.Tenant, server, "binlogs", Path.GetFileName(archivePath));
        var sidecarKey = archiveKey + Sidecar.Suffix;
        var expectedSha = sidecar.Archive.Sha256.ToLowerInvariant();

        var existing = await _store.HeadAsync(archiveKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (await HoldsAsync(existing, sidecar.Archive.Size, expectedSha, cancellationToken).ConfigureAwait(false))
            {
                if (!options.DryRun)
                {
                    // An earlier run may have died between archive and sidecar, or before the catalog.
                    await EnsureSidecarAsync(sidecarKey, sidecarBytes, cancellationToken).ConfigureAwait(false);
                    await RecordAsync(options, server, sidecar, archiveKey, cancellationToken).ConfigureAwait(false);
                }

                return Result(entry, sidecar, server, archiveKey, sidecarKey, existing, SendOutcome.AlreadyStored, watch.Elapsed);
            }

            if (!options.Force)
            {
                throw Conflict(archiveKey, existing, expectedSha);
            }
        }

        if (options.DryRun)
        {
            var notChecked = await _store.CheckAccessAsync(cancellationToken).ConfigureAwait(false);
            return Result(entry, sidecar, server, archiveKey, sidecarKey, null, SendOutcome.WouldStore, watch.Elapsed) with { NotChecked = notChecked };
        }

        var condition = existing is null ? PutCondition.IfNoneExists : PutCondition.IfMatch(existing.ETag);
        try
        {
            await _store.PutFileAsync(archiveKey, archivePath, new PutOptions { Sha256 = expectedSha, Condition = condition }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorePreconditionFailedException)
        {
            // Another sender won the race: fine if it stored the same bytes.
            var now = await _store.HeadAsync(archiveKey, cancellationToken).ConfigureAwait(false);
            if (now is null || !await HoldsAsync(now, sidecar.Archive.Size, expectedSha, cancellationToken).ConfigureAwait(false))
            {
                throw Conflict(archiveKey, now, expectedSha);
            }

            await EnsureSidecarAsync(sidecarKey, sidecarBytes, cancellationToken).ConfigureAwait(false);
            await RecordAsync(options, server, sidecar, archiveKey, cancellationToken).ConfigureAwait(false);
            return Result(entry, sidecar, server, archiveKey, sidecarKey, now, SendOutcome.AlreadyStored, watch.Elapsed);
        }

        await _store.PutBytesAsync(sidecarKey, sidecarBytes, new PutOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);

        // Durability: what the store now reports must be exactly what the sidecar promises.
        var stored = await _store.HeadAsync(archiveKey, cancellationToken).ConfigureAwait(false);
        if (stored is null || !await HoldsAsync(stored, sidecar.Archive.Size, expectedSha, cancellationToken).ConfigureAwait(false))
        {
            throw new BinlogArchiveException("StoreVerifyFailed", ErrorKind.WriteError,
                $"{_store.UriFor(archiveKey)}: after upload the stored object is {(stored is null ? "missing" : $"{stored.Size} bytes, sha256 {stored.Sha256 ?? "?"}")}, " +
                $"not {sidecar.Archive.Size} bytes with sha256 {expectedSha}.", _store.UriFor(archiveKey), "Send again with --force; the local archive is untouched.");
        }

        if (await _store.HeadAsync(sidecarKey, cancellationToken).ConfigureAwait(false) is not { } sc || sc.Size != sidecarBytes.Length)
        {
            throw new BinlogArchiveException("StoreVerifyFailed", ErrorKind.WriteError,
                $"{_store.UriFor(sidecarKey)}: the sidecar is missing or incomplete after upload.", _store.UriFor(sidecarKey), "Send again.");
        }

        await RecordAsync(options, server, sidecar, archiveKey, cancellationToken).ConfigureAwait(false);
        return Result(entry, sidecar, server, archiveKey, sidecarKey, stored, SendOutcome.Created, watch.Elapsed);
    }

    /// <summary>The server folder: explicit name, else server_uuid, else host-server_id.</summary>
    public static string ServerNameFor(Sidecar sidecar, string? explicitName) =>
        ServerNameFor(sidecar.Source.ServerUuid, sidecar.Host, sidecar.Source.ServerId, explicitName);

    /// <summary>The same rule from a binlog's own identity, before any sidecar exists.</summary>
    public static string ServerNameFor(string? serverUuid, string? host, uint serverId, string? explicitName)
    {
        var name = !string.IsNullOrWhiteSpace(explicitName) ? explicitName
            : !string.IsNullOrWhiteSpace(serverUuid) ? serverUuid
            : !string.IsNullOrWhiteSpace(host) ? $"{host}-{serverId}"
            : $"server-{serverId}";
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.StartsWith('.'))
        {
            throw new BinlogArchiveException("InvalidServerName", ErrorKind.InvalidArgument,
                $"'{name}' cannot be a server folder name (no '/', and it must not start with '.').", name, "Pass a plain name with --server.");
        }

        return name;
    }

    private static async Task VerifyLocalAsync(string archivePath, Sidecar sidecar, CancellationToken cancellationToken)
    {
        if (!string.Equals(Path.GetFileName(archivePath), sidecar.Archive.File, StringComparison.Ordinal))
        {
            throw new BinlogArchiveException("SidecarMismatch", ErrorKind.InvalidData,
                $"{archivePath}: its sidecar describes '{sidecar.Archive.File}', not this file.", archivePath, "Send the archive with its own sidecar.");
        }

        await using var stream = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var size = stream.Length;
        var sha = Hex.Lower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        if (size != sidecar.Archive.Size || !string.Equals(sha, sidecar.Archive.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BinlogArchiveException("ArchiveHashMismatch", ErrorKind.InvalidData,
                $"{archivePath}: {size} bytes with sha256 {sha}, but the sidecar says {sidecar.Archive.Size} bytes with sha256 {sidecar.Archive.Sha256}: the archive is damaged or not the one the sidecar describes.",
                archivePath, "Verify it (binlog-archive verify) and re-protect the source binlog.");
        }
    }

    /// <summary>Size from HEAD; SHA-256 from the metadata we set, else by reading the object back.</summary>
    private async Task<bool> HoldsAsync(StoredObject stored, long size, string sha, CancellationToken cancellationToken)
    {
        if (stored.Size != size)
        {
            return false;
        }

        if (stored.Sha256 is { } metadataSha)
        {
            return string.Equals(metadataSha, sha, StringComparison.OrdinalIgnoreCase);
        }

        var opened = await _store.OpenReadAsync(stored.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return false;
        }

        await using (opened.ConfigureAwait(false))
        {
            return string.Equals(Hex.Lower(await SHA256.HashDataAsync(opened.Content, cancellationToken).ConfigureAwait(false)), sha, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task EnsureSidecarAsync(string key, byte[] bytes, CancellationToken cancellationToken)
    {
        var sha = Hex.Lower(SHA256.HashData(bytes));
        var current = await _store.HeadAsync(key, cancellationToken).ConfigureAwait(false);
        if (current is not null && await HoldsAsync(current, bytes.Length, sha, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await _store.PutBytesAsync(key, bytes, new PutOptions { Sha256 = sha, ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(SendOptions options, string server, Sidecar sidecar, string archiveKey, CancellationToken cancellationToken)
    {
        if (options.UpdateCatalog)
        {
            await new ArchiveCatalog(_store).AddAsync(options.Tenant, server, [CatalogEntry.FromSidecar(sidecar, archiveKey)], cancellationToken).ConfigureAwait(false);
        }
    }

    private BinlogArchiveException Conflict(string key, StoredObject? existing, string sha) =>
        new("ArchiveConflict", ErrorKind.ResourceExists,
            $"{_store.UriFor(key)} already exists with different content ({existing?.Size ?? 0} bytes, sha256 {existing?.Sha256 ?? "unknown"}); this archive has sha256 {sha}. Nothing was overwritten.",
            _store.UriFor(key), "Find out why two different archives share a name; pass --force (-Force) to replace the stored one.");

    private StoredBinlogArchive Result(BinlogArchiveEntry entry, Sidecar sidecar, string server, string key, string sidecarKey, StoredObject? stored, SendOutcome outcome, TimeSpan elapsed) => new()
    {
        FullName = entry.FullName,
        Uri = _store.UriFor(key),
        Key = key,
        SidecarKey = sidecarKey,
        ETag = stored?.ETag,
        Bytes = sidecar.Archive.Size,
        Sha256 = sidecar.Archive.Sha256,
        Duration = elapsed,
        Outcome = outcome,
        Server = server,
        SourceName = sidecar.Source.File,
        Sequence = sidecar.Source.Sequence,
        ServerId = sidecar.Source.ServerId,
        ServerUuid = sidecar.Source.ServerUuid,
        FirstEventAt = entry.FirstEventAt,
        LastEventAt = entry.LastEventAt,
        AddedGtids = sidecar.Source.Gtid.Added,
    };
}
