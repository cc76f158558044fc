using System.Globalization;
using System.Text;
using System.Text.Json;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Core.Storage.Catalog;

/// <summary>
/// The per-server catalog in a store. Updates are optimistic: read the catalog and its ETag, merge,
/// put with If-Match (If-None-Match: * when it did not exist), and on a lost race read again and
/// retry, so concurrent senders never drop each other's entries.
/// </summary>
public sealed class ArchiveCatalog
{
    public const string FileName = "catalog.json";

    private readonly IArchiveStore _store;
    private readonly RetryPolicy _retry;

    public ArchiveCatalog(IArchiveStore store, RetryPolicy? conflictRetry = null)
    {
        _store = store;
        // Losing a race is normal under concurrency, so allow many quick retries.
        _retry = conflictRetry ?? new RetryPolicy { MaxAttempts = 50, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromSeconds(1) };
    }

    public static string ServerPrefix(string? tenant, string server) => ObjectKeys.Join(tenant, server);

    public static string KeyFor(string? tenant, string server) => ObjectKeys.Join(tenant, server, FileName);

    public static string BinlogsPrefix(string? tenant, string server) => ObjectKeys.Join(tenant, server, "binlogs") + "/";

    /// <summary>The catalog and the ETag of the version read; null when there is none yet.</summary>
    public async Task<(CatalogDocument Document, string ETag)?> ReadAsync(string? tenant, string server, CancellationToken cancellationToken = default)
    {
        var key = KeyFor(tenant, server);
        if (await _store.ReadAllAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } read)
        {
            return null;
        }

        try
        {
            var doc = JsonSerializer.Deserialize(read.Content, ArchiveJson.Indented.CatalogDocument)
                ?? throw new JsonException("empty document");
            return (doc, read.Info.ETag);
        }
        catch (JsonException ex)
        {
            throw new BinlogArchiveException("CatalogInvalid", ErrorKind.InvalidData,
                $"{_store.UriFor(key)}: the catalog is not valid JSON: {ex.Message}", _store.UriFor(key),
                "Rebuild it from the sidecars: binlog-archive list --rebuild.", ex);
        }
    }

    /// <summary>Adds or replaces (by file name) <paramref name="entries"/> in the server's catalog.</summary>
    public Task<CatalogDocument> AddAsync(string? tenant, string server, IReadOnlyCollection<CatalogEntry> entries, CancellationToken cancellationToken = default) =>
        UpdateAsync(tenant, server, files =>
        {
            foreach (var entry in entries)
            {
                files.RemoveAll(f => f.File == entry.File);
                files.Add(entry);
            }
        }, cancellationToken);

    /// <summary>Rewrites the catalog from the sidecars found under <c>&lt;server&gt;/binlogs/</c>.</summary>
    public async Task<CatalogDocument> RebuildAsync(string? tenant, string server, CancellationToken cancellationToken = default)
    {
        var found = new List<CatalogEntry>();
        await foreach (var obj in _store.ListAsync(BinlogsPrefix(tenant, server), cancellationToken).ConfigureAwait(false))
        {
            if (!obj.Key.EndsWith(".zst.enc" + Sidecar.Suffix, StringComparison.Ordinal) && !obj.Key.EndsWith(".enc" + Sidecar.Suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var opened = await _store.OpenReadAsync(obj.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (opened is null)
            {
                continue;
            }

            await using (opened.ConfigureAwait(false))
            {
                using var reader = new StreamReader(opened.Content, Encoding.UTF8);
                var sidecar = Sidecar.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false), _store.UriFor(obj.Key));
                found.Add(CatalogEntry.FromSidecar(sidecar, obj.Key[..^Sidecar.Suffix.Length]));
            }
        }

        return await UpdateAsync(tenant, server, files =>
        {
            files.Clear();
            files.AddRange(found);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Server names (below the tenant) that have a catalog.</summary>
    public async Task<IReadOnlyList<string>> ListServersAsync(string? tenant, CancellationToken cancellationToken = default)
    {
        var prefix = ObjectKeys.AsDirectoryPrefix(tenant);
        var servers = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var obj in _store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = obj.Key[prefix.Length..].Split('/');
            if (rest.Length == 2 && rest[1] == FileName)
            {
                servers.Add(rest[0]);
            }
        }

        return [.. servers];
    }

    public static CatalogReport Report(string? tenant, CatalogDocument document)
    {
        var files = document.Files.OrderBy(f => f.Sequence).ThenBy(f => f.File, StringComparer.Ordinal).ToList();
        var missing = new List<long>();
        var breaks = new List<GtidChainBreak>();
        long? firstProblemAt = null;
        for (var i = 1; i < files.Count; i++)
        {
            var prev = files[i - 1];
            var cur = files[i];
            for (var s = prev.Sequence + 1; s < cur.Sequence; s++)
            {
                missing.Add(s);
            }

            if (cur.Sequence != prev.Sequence + 1)
            {
                firstProblemAt ??= cur.Sequence;
                continue;
            }

            // Only adjacent files can be compared: across a gap the missing file's GTIDs are unknown.
            var flavor = Flavor(prev.Flavor ?? cur.Flavor);
            var expected = GtidSet.Parse(prev.PreviousGtids ?? "", flavor).Union(GtidSet.Parse(prev.AddedGtids ?? "", flavor));
            var actual = GtidSet.Parse(cur.PreviousGtids ?? "", flavor);
            if (!expected.Equals(actual))
            {
                breaks.Add(new GtidChainBreak(cur.Sequence, cur.File, expected.ToString(), actual.ToString()));
                firstProblemAt ??= cur.Sequence;
            }
        }

        var restorable = files.Where(f => firstProblemAt is null || f.Sequence < firstProblemAt).LastOrDefault();
        return new CatalogReport
        {
            Server = document.Server,
            CatalogKey = KeyFor(tenant, document.Server),
            Files = files,
            MissingSequences = missing,
            ChainBreaks = breaks,
            LatestRestorableTime = restorable?.LastEventAt,
        };
    }

    private static BinlogFlavor Flavor(string? text) => text switch
    {
        "mysql" => BinlogFlavor.MySql,
        "mariadb" => BinlogFlavor.MariaDb,
        _ => BinlogFlavor.Unknown,
    };

    private async Task<CatalogDocument> UpdateAsync(string? tenant, string server, Action<List<CatalogEntry>> change, CancellationToken cancellationToken)
    {
        var key = KeyFor(tenant, server);
        return await _retry.ExecuteAsync(async ct =>
        {
            var current = await ReadAsync(tenant, server, ct).ConfigureAwait(false);
            var files = current?.Document.Files.ToList() ?? [];
            change(files);
            var doc = new CatalogDocument
            {
                Server = server,
                UpdatedAt = Sidecar.FormatTime(DateTimeOffset.UtcNow),
                Files = [.. files.OrderBy(f => f.Sequence).ThenBy(f => f.File, StringComparer.Ordinal)],
            };
            var condition = current is { } c ? PutCondition.IfMatch(c.ETag) : PutCondition.IfNoneExists;
            await _store.PutBytesAsync(key, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(doc, ArchiveJson.Indented.CatalogDocument)),
                new PutOptions { Condition = condition, ContentType = "application/json" }, ct).ConfigureAwait(false);
            return doc;
        }, (ex, _) => ex is StorePreconditionFailedException, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One tab-separated line for the text output of list.</summary>
    public static string Describe(CatalogEntry e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Sequence}\t{e.File}\t{e.FirstEventAt}\t{e.LastEventAt}\t{e.ArchiveSize}");
}
