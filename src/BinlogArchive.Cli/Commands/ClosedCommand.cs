using System.CommandLine;
using System.Globalization;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>closed --binlog-dir DIR [--index FILE]</c>: closed binlogs, oldest first, under the advisory lock.</summary>
public static class ClosedCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--binlog-dir") { Required = true, Description = "The server's binlog directory (usually the datadir)." };
        var index = new Option<string?>("--index") { Description = "The binlog index file, when the directory holds several or it lives elsewhere." };
        var quick = new Option<bool>("--quick") { Description = "Read only the head of each closed file (no last event time, added GTIDs or counts)." };
        var stateDir = CommonOptions.StateDirectory();
        var lockTimeout = CommonOptions.LockTimeout();
        var json = CommonOptions.Json();
        var command = new Command("closed", "List the binlogs the server will not write again, oldest first. " +
            "The file being written is never listed. Exit 1 when index entries are missing or unreadable." +
            " Example: binlog-archive closed --binlog-dir /var/lib/mysql --quick --json")
        {
            dir, index, quick, stateDir, lockTimeout, json,
        };
        command.SetAction(parse =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                var binlogDir = parse.GetValue(dir)!;
                var lockPath = AdvisoryLock.LockPathFor(parse.GetValue(stateDir) ?? StateDirectory.Default, binlogDir);
                using var held = AdvisoryLock.Acquire(lockPath, TimeSpan.FromSeconds(parse.GetValue(lockTimeout)));
                var finder = new ClosedBinlogFinder(new DiscoveryOptions { IndexPath = parse.GetValue(index), FullScan = !parse.GetValue(quick) });
                var scan = finder.Find(binlogDir);
                Report(console, scan);
                return scan.HasErrors ? ExitCodes.ItemFailed : ExitCodes.Success;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }

    private static void Report(CliConsole console, ClosedBinlogScan scan)
    {
        console.Report(scan.Issues);

        if (console.Json)
        {
            console.WriteJson(scan, CliJsonContext.Output.ClosedBinlogScan);
            return;
        }

        var ci = CultureInfo.InvariantCulture;
        foreach (var f in scan.Closed)
        {
            console.Out.WriteLine(string.Create(ci, $"{f.Name}\t{f.Size}\t{f.FirstEventAt:u}\t{f.LastEventAt:u}\t{f.ExecutedGtids?.ToString() ?? f.PreviousGtids?.ToString()}"));
        }

        if (scan.ActiveFile is not null)
        {
            console.Info($"active (not listed): {Path.GetFileName(scan.ActiveFile)}");
        }
    }
}
