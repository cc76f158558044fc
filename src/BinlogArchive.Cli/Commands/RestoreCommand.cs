using System.CommandLine;
using System.Globalization;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;
using BinlogArchive.Core.Restore.Execution;

namespace BinlogArchive.Cli.Commands;

/// <summary>
/// <c>restore --source URI --key-file K [--base-backup DIR | --from-gtid SET | --from FILE:POS]
/// [--restore-time T [--time-zone Z] | --stop-gtid G | --stop-before-gtid G | --stop-position FILE:POS]
/// (--output-dir D | --replay [--host H] [--port P] [--socket S] [--user U] [--defaults-extra-file F])
/// [--continue] [--plan-only] [--allow-gaps] [--json]</c> (ARCHITECTURE.md §8).
/// </summary>
public static class RestoreCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Required = true, Description = "The store the archives were sent to (path, file://, s3://, azblob://)." };
        var server = new Option<string?>("--server") { Description = "Server folder in the store (default: the only one there is)." };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant prefix." };
        var baseBackup = new Option<string?>("--base-backup") { Description = "Prepared mariadb-backup/xtrabackup directory: its binlog coordinates are where replay starts." };
        var fromGtid = new Option<string?>("--from-gtid") { Description = "The backup's GTID set (MySQL uuid:1-10 or MariaDB 0-1-47)." };
        var from = new Option<string?>("--from") { Description = "The backup's binlog FILE:POS." };
        var restoreTime = new Option<string?>("--restore-time") { Description = "Apply every transaction committed at or before this time (ISO 8601; UTC unless an offset or --time-zone is given)." };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA zone for a --restore-time without offset (e.g. Europe/Berlin)." };
        var stopGtid = new Option<string?>("--stop-gtid") { Description = "Apply up to and including this GTID." };
        var stopBeforeGtid = new Option<string?>("--stop-before-gtid") { Description = "Apply up to but excluding this GTID." };
        var stopPosition = new Option<string?>("--stop-position") { Description = "Apply every event that starts before FILE:POS (as mysqlbinlog --stop-position)." };
        var outputDir = new Option<string?>("--output-dir") { Description = "Write the plain binlogs and replay.sh here instead of applying them." };
        var replay = new Option<bool>("--replay") { Description = "Apply through mariadb-binlog|mariadb (or mysqlbinlog|mysql) into the target server." };
        var host = new Option<string?>("--host") { Description = "Replay: target host." };
        var port = new Option<int?>("--port") { Description = "Replay: target port." };
        var socket = new Option<string?>("--socket") { Description = "Replay: target unix socket." };
        var user = new Option<string?>("--user") { Description = "Replay: user (the password comes from MYSQL_PWD or the defaults file, never the command line)." };
        var defaultsFile = new Option<string?>("--defaults-extra-file") { Description = "Replay: client option file (e.g. with [client] password=...)." };
        var continueOption = new Option<bool>("--continue") { Description = "Read the target's executed GTIDs and apply only what it lacks." };
        var planOnly = new Option<bool>("--plan-only") { Description = "Print the plan and touch nothing." };
        var allowGaps = new Option<bool>("--allow-gaps") { Description = "Carry on across a gap, overlap or fork in the chain (each is reported)." };
        var allowSwitchover = new Option<bool>("--allow-switchover") { Description = "Follow the chain onto another server after a failover." };
        var json = CommonOptions.Json();
        var keys = new KeyOptions();
        var storeOptions = new StoreCommandOptions();
        var command = new Command("restore", "Restore to a point in time: plan from the base backup's coordinates to the target, fetch and verify every " +
            "archive needed (nothing is applied if one is missing or tampered), then write plain binlogs + replay.sh (--output-dir) or apply " +
            "them through one mysqlbinlog | mysql session (--replay). Exit 1 on a gap, a bad archive or a failed apply; 2 on bad usage." +
            " Example: binlog-archive restore --source s3://backups/prod-db-1 --key-file K --base-backup /backups/full --stop-gtid 0-1-4711 --replay --socket /run/mysqld/restore.sock --user root")
        {
            source, server, tenant, baseBackup, fromGtid, from, restoreTime, timeZone, stopGtid, stopBeforeGtid, stopPosition,
            outputDir, replay, host, port, socket, user, defaultsFile, continueOption, planOnly, allowGaps, allowSwitchover, json,
        };
        keys.AddTo(command);
        storeOptions.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                var usage = CheckUsage(parse, baseBackup, fromGtid, from, restoreTime, timeZone, stopGtid, stopBeforeGtid, stopPosition,
                    outputDir, replay, [host, port, socket, user, defaultsFile], continueOption, planOnly);
                if (usage is not null)
                {
                    console.Error("BadUsage", usage, "See binlog-archive restore --help.");
                    return ExitCodes.BadUsage;
                }

                BackupCoordinates? coordinates = null;
                if (parse.GetValue(baseBackup) is { } dir)
                {
                    coordinates = BackupCoordinates.FromBackupDirectory(dir);
                }
                else if (parse.GetValue(fromGtid) is { } gtids)
                {
                    coordinates = BackupCoordinates.ParseGtidSet(gtids);
                }
                else if (parse.GetValue(from) is { } position)
                {
                    coordinates = BackupCoordinates.ParseFilePosition(position);
                }

                var target = RestoreTarget.Latest;
                if (parse.GetValue(restoreTime) is { } time)
                {
                    target = RestoreTarget.AtTime(RestoreTimeParser.Parse(time, parse.GetValue(timeZone)));
                }
                else if (parse.GetValue(stopGtid) is { } after)
                {
                    target = RestoreTarget.StopAfterGtid(after);
                }
                else if (parse.GetValue(stopBeforeGtid) is { } before)
                {
                    target = RestoreTarget.StopBeforeGtid(before);
                }
                else if (parse.GetValue(stopPosition) is { } stop)
                {
                    target = RestoreTarget.ParseStopPosition(stop);
                }

                using var material = keys.Load(parse, console);
                if (material is null)
                {
                    console.Error("BadUsage", "restore needs --key-file (or --key-fd): the master key the archives were written with.");
                    return ExitCodes.BadUsage;
                }

                var mode = parse.GetValue(planOnly) ? RestoreMode.PlanOnly : parse.GetValue(replay) ? RestoreMode.Replay : RestoreMode.OutputDirectory;
                var request = new RestoreRequest
                {
                    Source = parse.GetValue(source)!,
                    StoreOptions = storeOptions.Read(parse),
                    Server = parse.GetValue(server),
                    Tenant = parse.GetValue(tenant),
                    Keys = material.Ring,
                    Coordinates = coordinates,
                    Target = target,
                    Options = new RestoreOptions { AllowGaps = parse.GetValue(allowGaps), AllowServerSwitchover = parse.GetValue(allowSwitchover) },
                    Mode = mode,
                    OutputDirectory = parse.GetValue(outputDir),
                    Connection = new ReplayConnection
                    {
                        Host = parse.GetValue(host),
                        Port = parse.GetValue(port),
                        Socket = parse.GetValue(socket),
                        User = parse.GetValue(user),
                        DefaultsExtraFile = parse.GetValue(defaultsFile),
                    },
                    Continue = parse.GetValue(continueOption),
                };
                var result = await new RestoreExecutor(new SynchronousProgress(console)).ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
                if (result.Plan.Ambiguity is { } ambiguity)
                {
                    console.Warning("RestoreTimeAmbiguous",
                        $"{ambiguity.Boundary} {ambiguity.Transactions.Count} transaction(s) were recorded in the second {ambiguity.Second:yyyy-MM-dd'T'HH:mm:ss'Z'}: "
                        + string.Join(", ", ambiguity.Transactions.Select(t => $"{t.Gtid ?? "?"} at {t.File}:{t.StartPosition}..{t.EndPosition}"))
                        + ". " + ambiguity.Advice);
                }

                foreach (var warning in result.Warnings)
                {
                    console.Warning("Restore", warning);
                }

                if (console.Json)
                {
                    console.Out.WriteLine(mode == RestoreMode.PlanOnly ? result.Plan.ToJson() : result.ToJson());
                }
                else
                {
                    WriteText(console, result);
                }

                return ExitCodes.Success;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }

    private static string? CheckUsage(ParseResult parse, Option<string?> baseBackup, Option<string?> fromGtid, Option<string?> from,
        Option<string?> restoreTime, Option<string?> timeZone, Option<string?> stopGtid, Option<string?> stopBeforeGtid, Option<string?> stopPosition,
        Option<string?> outputDir, Option<bool> replay, Option[] connection, Option<bool> continueOption, Option<bool> planOnly)
    {
        int starts = new[] { baseBackup, fromGtid, from }.Count(o => parse.GetValue(o) is not null);
        if (starts > 1)
        {
            return "give at most one of --base-backup, --from-gtid and --from.";
        }

        if (starts == 0 && !parse.GetValue(continueOption))
        {
            return "say where the base backup's state is: --base-backup DIR, --from-gtid SET or --from FILE:POS (or --continue --replay).";
        }

        if (new[] { restoreTime, stopGtid, stopBeforeGtid, stopPosition }.Count(o => parse.GetValue(o) is not null) > 1)
        {
            return "give at most one target: --restore-time, --stop-gtid, --stop-before-gtid or --stop-position.";
        }

        if (parse.GetValue(timeZone) is not null && parse.GetValue(restoreTime) is null)
        {
            return "--time-zone only qualifies --restore-time.";
        }

        bool toDir = parse.GetValue(outputDir) is not null, toServer = parse.GetValue(replay);
        if (toDir && toServer)
        {
            return "give --output-dir or --replay, not both.";
        }

        if (!toDir && !toServer && !parse.GetValue(planOnly))
        {
            return "say what to do: --output-dir DIR (write binlogs and replay.sh), --replay (apply to a server) or --plan-only.";
        }

        if (!toServer && connection.Any(o => parse.GetResult(o) is not null))
        {
            return "--host, --port, --socket, --user and --defaults-extra-file go with --replay.";
        }

        if (parse.GetValue(continueOption) && !toServer)
        {
            return "--continue reads the target server's state: it needs --replay and the connection options.";
        }

        return null;
    }

    private static void WriteText(CliConsole console, BinlogRestoreResult result)
    {
        var plan = result.Plan;
        var o = console.Out;
        o.WriteLine($"Plan: {plan.Steps.Count} file(s) from {plan.Backup} to {plan.Target}");
        foreach (var step in plan.Steps)
        {
            o.WriteLine($"  {step}");
        }

        o.WriteLine($"Stops at: {plan.StopDescription}");
        o.WriteLine($"GTIDs to apply: {(plan.GtidsToApply.IsEmpty ? "(none)" : plan.GtidsToApply.ToString())}");
        if (result.Mode == RestoreMode.PlanOnly)
        {
            o.WriteLine("Plan only: nothing was fetched for applying, written or applied.");
            return;
        }

        if (result.Files.Count == 0)
        {
            o.WriteLine("Nothing to apply.");
            return;
        }

        var ms = (TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
        o.WriteLine(result.Mode == RestoreMode.Replay
            ? $"Applied {result.Files.Count} file(s), {result.PlainBytes} bytes, {result.StartedAt} .. {result.StoppedAt}; target GTIDs now {result.TargetGtidsAfter}"
            : $"Wrote {result.Files.Count} file(s) and {result.ReplayScript}");
        o.WriteLine($"Command: {result.Command}");
        o.WriteLine($"Time: fetch {ms(result.FetchDuration)}, verify {ms(result.VerifyDuration)}, decode {ms(result.DecodeDuration)}, apply {ms(result.ApplyDuration)}, total {ms(result.TotalDuration)}");
    }

    /// <summary>Progress lines straight to stderr, in order (Progress&lt;T&gt; would post them to the pool).</summary>
    private sealed class SynchronousProgress(CliConsole console) : IProgress<string>
    {
        public void Report(string value) => console.Info(value);
    }
}
