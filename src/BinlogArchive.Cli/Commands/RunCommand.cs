using System.CommandLine;
using System.Globalization;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Cycle;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Cli.Commands;

/// <summary>
/// <c>run --binlog-dir DIR --key-file K --destination URI</c>: the whole cycle for cron and
/// systemd timers — discover, protect, verify, send, catalog — idempotent, under the lock.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var binlogDir = new Option<string>("--binlog-dir") { Required = true, Description = "The server's binlog directory (usually the datadir)." };
        var index = new Option<string?>("--index") { Description = "The binlog index file, when the directory holds several." };
        var destination = new Option<string>("--destination") { Required = true, Description = "Path, file://, s3://bucket/prefix or azblob://account/container/prefix." };
        var server = new Option<string?>("--server") { Description = "Server folder name in the store (default: server UUID, else host-server_id)." };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant prefix in the store." };
        var level = new Option<int>("--level") { Description = "zstd level 1-22.", DefaultValueFactory = _ => ZstdCompressStream.DefaultLevel };
        var workers = new Option<int?>("--workers") { Description = "zstd worker threads per file (default: cores / --parallel)." };
        var parallel = new Option<int>("--parallel") { Description = "Files processed at once.", DefaultValueFactory = _ => 1 };
        var workDir = new Option<string?>("--work-dir") { Description = "Local staging for archives until they are stored (default: under the state directory)." };
        var keepLocal = new Option<bool>("--keep-local") { Description = "Keep the staged archives after they are stored." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be archived; protect and send nothing." };
        var lockTimeout = CommonOptions.LockTimeout();
        var json = CommonOptions.Json();
        var keys = new KeyOptions();
        var storeOptions = new StoreCommandOptions();
        var command = new Command("run", "The whole archive cycle in one idempotent command: discover closed binlogs, skip those the store " +
            "already holds, protect, verify and send the rest, update the catalog. Exit 0 when every closed binlog is stored, 1 otherwise. " +
            "Example (cron): binlog-archive run --binlog-dir /var/lib/mysql --key-file /etc/binlog-archive/master.key --destination s3://backups/db1 --json")
        {
            binlogDir, index, destination, server, tenant, level, workers, parallel, workDir, keepLocal, dryRun, lockTimeout, json,
        };
        keys.AddTo(command);
        storeOptions.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                using var material = keys.Load(parse, console) ?? throw ProtectCommand.MissingKey();
                var storeSettings = storeOptions.Read(parse);
                using var store = ArchiveStoreFactory.Open(parse.GetValue(destination)!, storeSettings);
                var dir = Path.GetFullPath(parse.GetValue(binlogDir)!);
                var stateDir = parse.GetValue(storeOptions.StateDir) ?? StateDirectory.Default;
                var filesAtOnce = Math.Max(1, parse.GetValue(parallel));
                var progress = TerminalProgress.ForConsole();
                var cycle = new ArchiveCycle(material.Ring, store, new ArchiveCycleOptions
                {
                    BinlogDirectory = dir,
                    IndexPath = parse.GetValue(index),
                    WorkDirectory = parse.GetValue(workDir) ?? DefaultWorkDirectory(stateDir, dir),
                    StateDirectory = stateDir,
                    LockTimeout = TimeSpan.FromSeconds(parse.GetValue(lockTimeout)),
                    Server = parse.GetValue(server),
                    Tenant = parse.GetValue(tenant),
                    CompressionLevel = parse.GetValue(level),
                    Workers = parse.GetValue(workers) ?? Math.Max(1, Environment.ProcessorCount / filesAtOnce),
                    MaxParallel = filesAtOnce,
                    KeepLocal = parse.GetValue(keepLocal),
                    DryRun = parse.GetValue(dryRun),
                    Progress = progress,
                });
                var summary = await cycle.RunAsync(cancellationToken).ConfigureAwait(false);
                progress?.Clear();
                Report(console, summary);
                return summary.Succeeded ? ExitCodes.Success : ExitCodes.ItemFailed;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }

    /// <summary>One staging folder per binlog directory, so two servers on one host never share it.</summary>
    private static string DefaultWorkDirectory(string stateDir, string binlogDir) =>
        Path.Combine(stateDir, "staging", StateDirectory.KeyFor(binlogDir));

    private static void Report(CliConsole console, ArchiveCycleSummary summary)
    {
        console.Report(summary.Issues);

        foreach (var item in summary.Items.Where(i => i.Outcome == CycleOutcome.Failed))
        {
            console.Error(item.ErrorId ?? "Failed", item.Error ?? item.FullName);
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"run: {summary.Discovered} closed, {summary.AlreadyStored} already stored, {summary.Archived} archived, {summary.Failed} failed " +
            $"in {summary.Duration.TotalSeconds:F1}s -> {summary.Destination}{(summary.Server is null ? "" : " (server " + summary.Server + ")")}");
        if (console.Json)
        {
            console.Info(line);
            console.WriteJson(summary, CliJsonContext.Output.ArchiveCycleSummary);
            return;
        }

        foreach (var item in summary.Items)
        {
            console.Out.WriteLine($"{item.Outcome}\t{item.Name}\t{item.Uri}");
        }

        console.Out.WriteLine(line);
    }
}
