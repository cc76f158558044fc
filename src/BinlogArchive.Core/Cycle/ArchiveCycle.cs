using System.Diagnostics;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Core.Cycle;

/// <summary>
/// The one-shot cycle for cron and scheduled tasks: under the binlog directory's lock, discover
/// the closed binlogs, skip those the store's catalog already holds with the same content (by
/// source SHA-256, so a rerun repeats nothing even after the local staging is gone), and for
/// the rest protect → verify → send (which confirms durability and records the catalog entry).
/// A file is removed from staging only once it is durably stored. Rerunning after any failure
/// finishes what was left.
/// </summary>
public sealed class ArchiveCycle
{
    private readonly KeyRing _keys;
    private readonly IArchiveStore _store;
    private readonly ArchiveCycleOptions _options;

    public ArchiveCycle(KeyRing keys, IArchiveStore store, ArchiveCycleOptions options)
    {
        _keys = keys;
        _store = store;
        _options = options;
    }

    public async Task<ArchiveCycleSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        using var held = AdvisoryLock.Acquire(
            AdvisoryLock.LockPathFor(_options.StateDirectory, _options.BinlogDirectory), _options.LockTimeout, cancellationToken);

        // Head-only discovery: protect reads each file in full anyway.
        var scan = new ClosedBinlogFinder(new DiscoveryOptions { IndexPath = _options.IndexPath, FullScan = false })
            .Find(_options.BinlogDirectory, cancellationToken);
        if (scan.Closed.Count == 0)
        {
            return Summary(scan, server: null, [], watch.Elapsed);
        }

        var first = scan.Closed[0];
        var server = BinlogSender.ServerNameFor(first.ServerUuid, Environment.MachineName, first.ServerId, _options.Server);
        var stored = await StoredEntriesAsync(server, cancellationToken).ConfigureAwait(false);
        var protector = new BinlogProtector(_keys, new ProtectOptions
        {
            OutputDirectory = _options.WorkDirectory,
            CompressionLevel = _options.CompressionLevel,
            Workers = _options.Workers,
            Progress = _options.Progress,
        });
        if (!_options.DryRun)
        {
            protector.CleanLeftovers();
        }

        var sender = new BinlogSender(_store);
        var items = new CycleItem[scan.Closed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, scan.Closed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallel), CancellationToken = cancellationToken },
            async (i, ct) => items[i] = await ProcessAsync(scan.Closed[i], server, stored, protector, sender, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return Summary(scan, server, items, watch.Elapsed);
    }

    private async Task<CycleItem> ProcessAsync(BinlogFile file, string server, IReadOnlyDictionary<string, CatalogEntry> stored,
        BinlogProtector protector, BinlogSender sender, CancellationToken cancellationToken)
    {
        var item = new CycleItem { Name = file.Name, FullName = file.FullName, Sequence = file.Sequence, SourceSize = file.Size };
        try
        {
            if (stored.TryGetValue(file.Name, out var entry) && SameContent(file, entry))
            {
                return item with { Outcome = CycleOutcome.AlreadyStored, Uri = _store.UriFor(entry.ArchiveKey), ArchiveSize = entry.ArchiveSize };
            }

            if (_options.DryRun)
            {
                return item with { Outcome = CycleOutcome.WouldArchive };
            }

            var protect = Stopwatch.StartNew();
            var archived = protector.Protect(file.FullName, cancellationToken);
            var verdict = new ArchiveVerifier(_keys).Verify(archived.FullName, cancellationToken);
            if (!verdict.Valid)
            {
                throw new BinlogArchiveException(verdict.ErrorId ?? "VerifyFailed", ErrorKind.InvalidData,
                    $"{archived.FullName} failed verification before upload: {verdict.Error}", archived.FullName,
                    "Nothing was sent. Check the disk of the work directory; the next run protects the file again.");
            }

            protect.Stop();
            var send = Stopwatch.StartNew();
            var result = await sender.SendAsync(archived, new SendOptions { Server = server, Tenant = _options.Tenant }, cancellationToken)
                .ConfigureAwait(false);
            if (!_options.KeepLocal)
            {
                // Durable in the store (the sender read size and hash back): the staged copy can go.
                File.Delete(archived.SidecarPath);
                File.Delete(archived.FullName);
            }

            return item with
            {
                Outcome = CycleOutcome.Archived,
                Uri = result.Uri,
                ArchiveSize = archived.ArchiveSize,
                ProtectDuration = protect.Elapsed,
                SendDuration = send.Elapsed,
            };
        }
        catch (BinlogArchiveException ex)
        {
            return item with { Outcome = CycleOutcome.Failed, ErrorId = ex.ErrorId, Error = ex.Message };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return item with { Outcome = CycleOutcome.Failed, ErrorId = "CycleIoFailed", Error = $"{file.FullName}: {ex.Message}" };
        }
    }

    /// <summary>
    /// Same name is not enough: after RESET MASTER or a rebuilt server the numbering restarts and
    /// an old name can hold new transactions. Same size and SHA-256 is the same binlog.
    /// </summary>
    private static bool SameContent(BinlogFile file, CatalogEntry entry)
    {
        if (entry.SourceSize != file.Size || entry.SourceSha256 is null)
        {
            return false;
        }

        return string.Equals(BinlogProtector.SourceSha256(file.FullName), entry.SourceSha256, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<IReadOnlyDictionary<string, CatalogEntry>> StoredEntriesAsync(string server, CancellationToken cancellationToken)
    {
        var catalog = await new ArchiveCatalog(_store).ReadAsync(_options.Tenant, server, cancellationToken).ConfigureAwait(false);
        return catalog?.Document.Files.ToDictionary(f => f.File, StringComparer.Ordinal) ?? new Dictionary<string, CatalogEntry>();
    }

    private ArchiveCycleSummary Summary(ClosedBinlogScan scan, string? server, IReadOnlyList<CycleItem> items, TimeSpan duration) => new()
    {
        BinlogDirectory = scan.BinlogDirectory,
        Destination = _store.Uri,
        Server = server,
        ActiveFile = scan.ActiveFile,
        Items = items,
        Issues = scan.Issues,
        Duration = duration,
    };
}
