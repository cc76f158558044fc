using System.Diagnostics;
using System.Globalization;
using System.Text;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// The "execute" stage of a point-in-time restore (ARCHITECTURE.md §7): read the server's archives
/// from the store (catalog, else a listing of the sidecars; every sidecar MAC-checked), plan with
/// <see cref="RestorePlanner"/>, fetch every archive of the plan into a private 0700 cache (encrypted
/// bytes only) and verify each with <see cref="Archiving.ArchiveVerifier"/> — so a missing or tampered
/// archive stops the restore before anything is applied, naming the binlog — then either write the
/// plain binlogs plus replay.sh (<see cref="RestoreMode.OutputDirectory"/>) or apply them through one
/// mysqlbinlog | mysql session (<see cref="RestoreMode.Replay"/>, see <see cref="BinlogReplayer"/>).
/// </summary>
public sealed class RestoreExecutor
{
    public const string ReplayScriptName = "replay.sh";

    private readonly IProgress<string>? _log;

    public RestoreExecutor(IProgress<string>? log = null)
    {
        _log = log;
    }

    public async Task<BinlogRestoreResult> ExecuteAsync(RestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var total = Stopwatch.StartNew();
        Validate(request);
        var work = CreatePrivateDirectory(request.WorkDirectory);
        try
        {
            using var store = ArchiveStoreFactory.Open(request.Source, request.StoreOptions);
            using var fetcher = new ArchiveFetcher(store, request.Keys, work);
            var server = await fetcher.ResolveServerAsync(request.Tenant, request.Server, cancellationToken).ConfigureAwait(false);
            var archives = await fetcher.LoadAsync(request.Tenant, server, cancellationToken).ConfigureAwait(false);
            foreach (var warning in fetcher.Warnings)
            {
                _log?.Report("warning: " + warning);
            }

            _log?.Report($"{archives.Count} archive(s) of server '{server}' in {store.Uri}");
            if (archives.Count == 0)
            {
                throw new BinlogArchiveException("RestoreNoArchives", ErrorKind.ObjectNotFound,
                    $"{store.Uri}: server '{server}' has no usable archives.{(fetcher.Warnings.Count > 0 ? " " + string.Join(" ", fetcher.Warnings) : "")}",
                    store.Uri, "Check --source, --tenant and --server (binlog-archive list).");
            }

            var flavor = archives.Select(a => a.Binlog.Flavor).FirstOrDefault(f => f != BinlogFlavor.Unknown);
            ClientTools? tools = request.Mode == RestoreMode.Replay || request.Continue ? request.Tools ?? ClientTools.Detect() : request.Tools;
            var replayer = tools is null ? null : new BinlogReplayer(tools, request.Connection, request.Keys);

            string? targetBefore = null;
            var coordinates = request.Coordinates;
            if (request.Continue)
            {
                targetBefore = await replayer!.QueryScalarAsync(GtidQuery(flavor), cancellationToken).ConfigureAwait(false);
                if (targetBefore.Length > 0)
                {
                    var set = GtidSet.Parse(targetBefore, flavor);
                    coordinates = new BackupCoordinates(null, null, set, $"--continue (the target's {(flavor == BinlogFlavor.MariaDb ? "gtid_binlog_pos" : "gtid_executed")})");
                    _log?.Report($"continue: the target has executed {targetBefore}; applying what it lacks");
                }
                else if (coordinates is null)
                {
                    throw new BinlogArchiveException("RestoreContinueNoState", ErrorKind.InvalidArgument,
                        $"--continue: the target ({request.Connection}) has no executed GTIDs to continue from.", request.Connection.ToString(),
                        "Give the base backup's coordinates (--base-backup, --from, --from-gtid) for the first replay.");
                }
            }

            var byBinlog = new Dictionary<ArchivedBinlog, StoredArchive>(ReferenceEqualityComparer.Instance);
            foreach (var a in archives)
            {
                byBinlog[a.Binlog] = a;
            }

            var plan = RestorePlanner.Plan(archives.Select(a => a.Binlog), coordinates!, request.Target, request.Options,
                binlog => ScanTransactions(fetcher, byBinlog[binlog], request, cancellationToken));
            _log?.Report($"plan: {plan.Steps.Count} file(s); stop: {plan.StopDescription}");

            var result = new BinlogRestoreResult
            {
                Mode = request.Mode,
                Plan = plan,
                Files = [],
                GtidsApplied = plan.GtidsToApply,
                LastAppliedGtid = plan.LastAppliedGtid,
                LastAppliedCommitTime = plan.LastAppliedCommitTime,
                TargetGtidsBefore = targetBefore,
                Warnings = [.. fetcher.Warnings, .. plan.Warnings],
            };
            if (request.Mode == RestoreMode.PlanOnly)
            {
                return Finish(result, fetcher, total, TimeSpan.Zero, TimeSpan.Zero);
            }

            if (plan.Steps.Count == 0)
            {
                _log?.Report("nothing to apply: " + plan.StopDescription);
                return Finish(result with { Applied = true }, fetcher, total, TimeSpan.Zero, TimeSpan.Zero);
            }

            // Every archive of the plan is fetched and verified before the first byte is applied.
            var feeds = await PrepareAsync(fetcher, plan, byBinlog, request, cancellationToken).ConfigureAwait(false);
            return request.Mode == RestoreMode.Replay
                ? await ReplayAsync(result, feeds, replayer!, flavor, fetcher, total, cancellationToken).ConfigureAwait(false)
                : await WriteOutputAsync(result, feeds, request, tools, fetcher, total, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static void Validate(RestoreRequest request)
    {
        if (request.Mode == RestoreMode.OutputDirectory && string.IsNullOrEmpty(request.OutputDirectory))
        {
            throw Usage("Output-directory mode needs an output directory.");
        }

        if (request.Coordinates is null && !request.Continue)
        {
            throw Usage("The base backup's coordinates are missing: give a backup directory, a file:position or a GTID set.");
        }

        if (request.Keys.Count == 0)
        {
            throw Usage("Restore needs the master key(s) the archives were written with.");
        }
    }

    private static string GtidQuery(BinlogFlavor flavor) =>
        flavor == BinlogFlavor.MariaDb ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";

    private IEnumerable<BinlogTransaction> ScanTransactions(ArchiveFetcher fetcher, StoredArchive archive, RestoreRequest request,
        CancellationToken cancellationToken)
    {
        // The planner is synchronous; it asks for at most a few files (the cut files).
        var path = Task.Run(() => fetcher.EnsureVerifiedAsync(archive, cancellationToken), cancellationToken).GetAwaiter().GetResult();
        _log?.Report($"scanning {archive.Binlog.Name} for the cut");
        var list = new List<BinlogTransaction>();
        var scanner = new BinlogScanner(archive.Binlog.Name, new BinlogScanOptions { OnTransaction = list.Add });
        using var plain = BinlogSlice.OpenPlaintext(path, request.Keys);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = plain.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scanner.Append(buffer.AsSpan(0, n));
        }

        scanner.Complete().ThrowIfInvalid();
        return list;
    }

    private async Task<IReadOnlyList<ReplayFeed>> PrepareAsync(ArchiveFetcher fetcher, RestorePlan plan,
        Dictionary<ArchivedBinlog, StoredArchive> byBinlog, RestoreRequest request, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, request.FetchConcurrency));
        var tasks = plan.Steps.Select(async step =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var archive = byBinlog[step.Archive];
                var path = await fetcher.EnsureVerifiedAsync(archive, cancellationToken).ConfigureAwait(false);
                _log?.Report($"verified {archive.Binlog.Name} ({archive.ArchiveUri})");
                return new ReplayFeed(archive, path, step.StartPosition, step.StopPosition);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // Name the earliest failing file of the plan, whatever finished first.
            foreach (var task in tasks)
            {
                if (task.IsFaulted)
                {
                    throw task.Exception!.InnerException!;
                }
            }

            throw;
        }

        return tasks.Select(t => t.Result).ToList();
    }

    private async Task<BinlogRestoreResult> ReplayAsync(BinlogRestoreResult result, IReadOnlyList<ReplayFeed> feeds, BinlogReplayer replayer,
        BinlogFlavor flavor, ArchiveFetcher fetcher, Stopwatch total, CancellationToken cancellationToken)
    {
        _log?.Report($"replaying {feeds.Count} file(s): {replayer.CommandText}");
        var outcome = await replayer.ReplayAsync(feeds, cancellationToken).ConfigureAwait(false);
        var after = await replayer.QueryScalarAsync(GtidQuery(flavor), cancellationToken).ConfigureAwait(false);
        var files = feeds.Select((f, i) => File(f, outcome.PlainBytes[i], null)).ToList();
        return Finish(result with
        {
            Applied = true,
            Files = files,
            StartedAt = Position(feeds[0].Archive.Binlog.Name, feeds[0].StartPosition),
            StoppedAt = Position(feeds[^1].Archive.Binlog.Name, feeds[^1].StopPosition ?? feeds[^1].Archive.Binlog.EndPosition),
            TargetGtidsAfter = after,
            Command = outcome.Command,
            PlainBytes = outcome.PlainBytes.Sum(),
        }, fetcher, total, outcome.Decode, outcome.Apply);
    }

    private async Task<BinlogRestoreResult> WriteOutputAsync(BinlogRestoreResult result, IReadOnlyList<ReplayFeed> feeds, RestoreRequest request,
        ClientTools? tools, ArchiveFetcher fetcher, Stopwatch total, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(request.OutputDirectory!);
        Directory.CreateDirectory(directory);
        var watch = Stopwatch.StartNew();
        var files = new List<RestoredFile>();
        foreach (var feed in feeds)
        {
            var name = feed.Archive.Binlog.Name;
            var path = Path.Combine(directory, name);
            var partial = path + ".partial";
            long written;
            await using (var plain = BinlogSlice.OpenPlaintext(feed.CachedPath, request.Keys))
            await using (var output = new FileStream(partial, PrivateFile.Options(FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20)))
            {
                await plain.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
                written = output.Length;
                output.Flush(flushToDisk: true);
            }

            if (written != feed.Archive.Sidecar.Source.Size)
            {
                System.IO.File.Delete(partial);
                throw new BinlogArchiveException("RestoreBinlogUnreadable", ErrorKind.InvalidData,
                    $"{name}: decoded {written} bytes, the sidecar says {feed.Archive.Sidecar.Source.Size}.", feed.Archive.ArchiveUri,
                    "Verify the archive (binlog-archive verify).");
            }

            System.IO.File.Move(partial, path, overwrite: true);
            files.Add(File(feed, written, path));
            _log?.Report($"wrote {path}");
        }

        var script = Path.Combine(directory, ReplayScriptName);
        var (text, command) = ReplayScript(result.Plan, feeds, request.Connection, tools);
        await System.IO.File.WriteAllTextAsync(script, text, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        watch.Stop();
        return Finish(result with
        {
            Applied = true,
            Files = files,
            OutputDirectory = directory,
            ReplayScript = script,
            Command = command,
            StartedAt = Position(feeds[0].Archive.Binlog.Name, feeds[0].StartPosition),
            StoppedAt = Position(feeds[^1].Archive.Binlog.Name, feeds[^1].StopPosition ?? feeds[^1].Archive.Binlog.EndPosition),
            PlainBytes = files.Sum(f => f.PlainBytes),
        }, fetcher, total, watch.Elapsed, TimeSpan.Zero);
    }

    /// <summary>
    /// replay.sh: the exact mysqlbinlog command (--start-position applies to the first file,
    /// --stop-position to the last, BINLOG-FORMAT.md §10) piped into the client. A later file that
    /// starts mid-file (a server switchover) needs its own --start-position, so it begins a new pipeline.
    /// </summary>
    internal static (string Script, string Command) ReplayScript(RestorePlan plan, IReadOnlyList<ReplayFeed> feeds, ReplayConnection connection, ClientTools? tools)
    {
        var segments = new List<List<ReplayFeed>>();
        foreach (var feed in feeds)
        {
            if (segments.Count == 0 || feed.StartPosition > feed.Archive.Binlog.StartPosition || segments[^1][^1].StopPosition is not null)
            {
                segments.Add([]);
            }

            segments[^1].Add(feed);
        }

        var conn = connection.ClientArguments();
        var defaultsFile = conn.Where(a => a.StartsWith("--defaults-extra-file=", StringComparison.Ordinal)).Select(Quote);
        var rest = conn.Where(a => !a.StartsWith("--defaults-extra-file=", StringComparison.Ordinal)).Select(Quote);
        var commands = segments.Select(segment =>
        {
            var args = new List<string> { "\"$BINLOG_TOOL\"", "--no-defaults" };
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--start-position={segment[0].StartPosition}"));
            if (segment[^1].StopPosition is { } stop)
            {
                args.Add(string.Create(CultureInfo.InvariantCulture, $"--stop-position={stop}"));
            }

            args.AddRange(segment.Select(f => Quote(f.Archive.Binlog.Name)));
            var client = new List<string> { "\"$CLIENT\"" };
            client.AddRange(defaultsFile);
            client.Add("\"$@\"");
            client.AddRange(rest);
            client.AddRange(BinlogReplayer.ExtraClientArguments);
            return string.Join(' ', args) + " | " + string.Join(' ', client);
        }).ToList();

        var text = new StringBuilder();
        text.Append("#!/usr/bin/env bash\n");
        text.Append("# Written by binlog-archive restore at ").Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(".\n");
        text.Append("# Base backup: ").Append(OneLine(plan.Backup.ToString())).Append('\n');
        text.Append("# Target: ").Append(OneLine(plan.Target.ToString())).Append('\n');
        text.Append("# Stops at: ").Append(OneLine(plan.StopDescription)).Append('\n');
        text.Append("# GTIDs applied: ").Append(OneLine(plan.GtidsToApply.ToString())).Append('\n');
        text.Append("#\n# Run it against a server freshly restored from that backup. The password comes from MYSQL_PWD or a\n");
        text.Append("# defaults file (never the command line); arguments are passed to the client, e.g.\n");
        text.Append("#   MYSQL_PWD=... ./replay.sh --host=db1 --user=restore\n");
        if (segments.Count > 1)
        {
            text.Append("# The plan follows a server switchover, so it runs as ").Append(segments.Count).Append(" pipelines; temporary tables do not\n# survive from one to the next.\n");
        }

        text.Append("set -euo pipefail\n");
        text.Append("cd \"$(dirname \"$0\")\"\n");
        text.Append("BINLOG_TOOL=\"${BINLOG_TOOL:-$(command -v mariadb-binlog || command -v mysqlbinlog)}\"\n");
        text.Append("CLIENT=\"${CLIENT:-$(command -v mariadb || command -v mysql)}\"\n");
        foreach (var command in commands)
        {
            text.Append(command).Append('\n');
        }

        var shown = string.Join("\n", commands)
            .Replace("\"$BINLOG_TOOL\"", tools is null ? "mariadb-binlog" : Path.GetFileName(tools.BinlogTool), StringComparison.Ordinal)
            .Replace("\"$CLIENT\"", tools is null ? "mariadb" : Path.GetFileName(tools.Client), StringComparison.Ordinal)
            .Replace(" \"$@\"", "", StringComparison.Ordinal);
        return (text.ToString(), shown);
    }

    private static RestoredFile File(ReplayFeed feed, long plainBytes, string? outputPath) =>
        new(feed.Archive.Binlog.Name, feed.Archive.ArchiveUri, feed.StartPosition,
            feed.StopPosition ?? feed.Archive.Binlog.EndPosition, feed.Archive.Sidecar.Archive.Size, plainBytes, outputPath);

    private static BinlogRestoreResult Finish(BinlogRestoreResult result, ArchiveFetcher fetcher, Stopwatch total, TimeSpan decode, TimeSpan apply) =>
        result with
        {
            ArchiveBytes = fetcher.ArchiveBytes,
            FetchDuration = fetcher.FetchDuration,
            VerifyDuration = fetcher.VerifyDuration,
            DecodeDuration = decode,
            ApplyDuration = apply,
            TotalDuration = total.Elapsed,
        };

    private static string Position(string file, long position) => string.Create(CultureInfo.InvariantCulture, $"{file}:{position}");

    private static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '=' or ':' or ',')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    private static string CreatePrivateDirectory(string? parent)
    {
        var root = parent ?? Path.GetTempPath();
        var path = Path.Combine(root, "binlog-restore-" + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static BinlogArchiveException Usage(string message) =>
        new("RestoreArgumentInvalid", ErrorKind.InvalidArgument, message, null, "See binlog-archive restore --help.");
}
