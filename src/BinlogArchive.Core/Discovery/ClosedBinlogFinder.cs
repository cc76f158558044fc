using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Discovery;

/// <summary>
/// Lists the binlogs of one server that are safe to archive. A file is closed when it is not the
/// newest index entry, or when it is the newest and the server closed it cleanly (in-use flag
/// clear and a STOP event, i.e. the server was shut down). The file being written is never listed.
/// </summary>
public sealed class ClosedBinlogFinder
{
    // Enough for the FDE plus a previous-GTIDs event with thousands of intervals.
    private const int HeadBytes = 1 << 20;

    private readonly DiscoveryOptions _options;

    public ClosedBinlogFinder(DiscoveryOptions? options = null) => _options = options ?? new DiscoveryOptions();

    public ClosedBinlogScan Find(string binlogDirectory, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetFullPath(binlogDirectory);
        var indexPath = _options.IndexPath is null ? BinlogIndex.Locate(directory) : Path.GetFullPath(_options.IndexPath);
        var index = BinlogIndex.Load(indexPath);
        var issues = new List<DiscoveryIssue>();
        var closed = new List<BinlogFile>();
        string? active = null;

        ReportUnindexedFiles(directory, index, issues);

        for (var i = 0; i < index.Entries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = index.Entries[i];
            var isNewest = i == index.Entries.Count - 1;
            if (!File.Exists(path))
            {
                issues.Add(new DiscoveryIssue(DiscoverySeverity.Error, "BinlogMissing", path,
                    $"{path} is listed in {index.IndexPath} but does not exist: it was purged or moved before it was archived. " +
                    "Its transactions are not in the archive; take a new base backup to close the gap."));
                continue;
            }

            var info = new FileInfo(path);
            var summary = Read(path, fullScan: _options.FullScan || isNewest, cancellationToken);
            var fatal = summary.Errors.FirstOrDefault();
            if (fatal is not null)
            {
                issues.Add(new DiscoveryIssue(DiscoverySeverity.Error, "BinlogUnreadable", path,
                    $"{path}: {fatal.Message} (at byte offset {fatal.Offset}); not archived."));
                continue;
            }

            if (isNewest)
            {
                if (summary.InUseFlag || summary.LastEventType != "STOP_EVENT")
                {
                    active = path;
                    continue;
                }
            }
            else if (summary.InUseFlag)
            {
                var age = _options.Clock.GetUtcNow() - new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
                if (age < _options.ClosingGracePeriod)
                {
                    issues.Add(new DiscoveryIssue(DiscoverySeverity.Warning, "BinlogStillClosing", path,
                        $"{path} is not the newest binlog but its in-use flag is still set and it changed {age.TotalSeconds:F0}s ago: " +
                        "the server is most likely still closing it. It will be listed on a later run."));
                    continue;
                }

                issues.Add(new DiscoveryIssue(DiscoverySeverity.Warning, "BinlogNotClosedCleanly", path,
                    $"{path} was not closed cleanly (in-use flag still set; the server probably crashed while writing it). " +
                    "It is archived as it is."));
            }

            closed.Add(ToBinlogFile(info, summary, index.IndexPath, fullScan: _options.FullScan));
        }

        return new ClosedBinlogScan(directory, index.IndexPath, closed, active, issues);
    }

    private static void ReportUnindexedFiles(string directory, BinlogIndex index, List<DiscoveryIssue> issues)
    {
        var indexed = new HashSet<string>(index.Entries, StringComparer.Ordinal);
        var baseNames = index.Entries
            .Select(e => BinlogName.TryParse(Path.GetFileName(e), out var n) ? n.BaseName : null)
            .Where(b => b is not null)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!indexed.Contains(path) && BinlogName.TryParse(Path.GetFileName(path), out var name) && baseNames.Contains(name.BaseName))
            {
                issues.Add(new DiscoveryIssue(DiscoverySeverity.Warning, "BinlogNotInIndex", path,
                    $"{path} looks like a binlog of this server but is not in {index.IndexPath}; it is not archived. " +
                    "Archive it explicitly with protect if it belongs to the chain."));
            }
        }
    }

    private static BinlogFileSummary Read(string path, bool fullScan, CancellationToken cancellationToken)
    {
        if (fullScan)
        {
            return BinlogFileReader.Read(path, cancellationToken: cancellationToken);
        }

        var scanner = new BinlogScanner(Path.GetFileName(path));
        var buffer = new byte[HeadBytes];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new BinlogArchiveException("BinlogUnreadable", ErrorKind.PermissionDenied,
                $"Cannot read binlog '{path}': {ex.Message}", path,
                "Run as a user that can read the server's binlog directory (e.g. in the mysql group).", ex);
        }

        scanner.Append(buffer.AsSpan(0, read));
        var head = scanner.Complete();

        // We stopped reading on purpose: an event cut at the end of what we read is not damage.
        var realErrors = read < buffer.Length
            ? head.Errors
            : head.Errors.Where(e => !IsCutAtEnd(e, read)).ToList();
        return head with { Errors = realErrors };
    }

    private static bool IsCutAtEnd(BinlogReadIssue issue, long bytesRead) =>
        issue.Code.Contains("Truncat", StringComparison.OrdinalIgnoreCase)
        || (issue.Code.Contains("Beyond", StringComparison.OrdinalIgnoreCase) && issue.Offset < bytesRead);

    private static BinlogFile ToBinlogFile(FileInfo info, BinlogFileSummary summary, string indexPath, bool fullScan)
    {
        BinlogName.TryParse(info.Name, out var name);
        return new BinlogFile
        {
            FullName = info.FullName,
            Name = info.Name,
            Sequence = name.Sequence,
            Size = info.Length,
            LastWriteTime = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
            Closed = true,
            ClosedCleanly = fullScan ? summary.ClosedCleanly : null,
            InUseFlag = summary.InUseFlag,
            ServerId = summary.ServerId,
            ServerVersion = summary.ServerVersion,
            Flavor = summary.Flavor,
            ChecksumAlgorithm = summary.ChecksumAlgorithm,
            FirstEventAt = summary.FirstEventAt,
            LastEventAt = fullScan ? summary.LastEventAt : null,
            PreviousGtids = summary.PreviousGtids,
            AddedGtids = fullScan ? summary.AddedGtids : null,
            ExecutedGtids = fullScan ? summary.ExecutedGtids : null,
            TransactionCount = fullScan ? summary.TransactionCount : null,
            EndPosition = fullScan ? summary.EndPosition : null,
            Scanned = fullScan,
            IndexFile = indexPath,
        };
    }
}
