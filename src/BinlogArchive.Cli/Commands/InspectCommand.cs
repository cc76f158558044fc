using System.CommandLine;
using System.Globalization;
using BinlogArchive.Core.Binlog;
using System.Text.Json;
using System.Text.Json.Nodes;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>inspect FILE...</c>: what the reader sees in each binlog, like a summary mysqlbinlog.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Binlog files to read." };
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Show what the binlog reader finds in each file: version, flavor, checksums, " +
            "in-use flag, times, positions, GTID sets, transaction and event counts, errors with offsets." +
            " Example: binlog-archive inspect /var/lib/mysql/mysql-bin.000042 --json | jq .[0].added_gtids")
        {
            files, json,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, new CliConsole(parse.GetValue(json))));
        return command;
    }

    private static int Run(string[] files, CliConsole console)
    {
        var reports = new List<(string Path, BinlogFileSummary Summary)>();
        var exit = ExitCodes.Success;
        foreach (var file in files)
        {
            try
            {
                var summary = BinlogFileReader.Read(file);
                reports.Add((Path.GetFullPath(file), summary));
                if (!summary.IsValid)
                {
                    exit = ExitCodes.ItemFailed;
                }
            }
            catch (BinlogArchiveException ex)
            {
                exit = Math.Max(exit, console.Fail(ex));
            }
        }

        if (console.Json)
        {
            console.WriteJson(reports.Select(r => WithPath(r.Path, r.Summary)).ToList(), CliJsonContext.Output.ListJsonObject);
        }
        else
        {
            foreach (var report in reports)
            {
                WriteText(console.Out, report);
            }
        }

        return exit;
    }

    // The summary's own fields, with the full path first, so `jq '.[].added_gtids'` just works.
    private static JsonObject WithPath(string path, BinlogFileSummary summary)
    {
        var node = JsonSerializer.SerializeToNode(summary, ArchiveJson.Indented.BinlogFileSummary)!.AsObject();
        var result = new JsonObject { ["path"] = path };
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            result[key] = value;
        }

        return result;
    }

    private static void WriteText(TextWriter o, (string Path, BinlogFileSummary Summary) r)
    {
        var s = r.Summary;
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(r.Path);
        o.WriteLine(string.Create(ci, $"  server:        {s.Flavor} {s.ServerVersion}, server_id {s.ServerId}, checksum {s.ChecksumAlgorithm}"));
        o.WriteLine(string.Create(ci, $"  state:         {(s.ClosedCleanly ? "closed cleanly" : "NOT closed cleanly")}, in-use flag {(s.InUseFlag ? "set" : "clear")}, last event {s.LastEventType ?? "-"}{(s.RotatesTo is null ? "" : " -> " + s.RotatesTo)}{(s.TruncatedTail ? ", truncated tail" : "")}"));
        o.WriteLine(string.Create(ci, $"  events:        {s.FirstEventAt:u} .. {s.LastEventAt:u}"));
        o.WriteLine(string.Create(ci, $"  positions:     {s.StartPosition} .. {s.EndPosition} of {s.Size} bytes"));
        o.WriteLine(string.Create(ci, $"  gtids before:  {Show(s.PreviousGtids)}"));
        o.WriteLine(string.Create(ci, $"  gtids added:   {Show(s.AddedGtids)}"));
        o.WriteLine(string.Create(ci, $"  transactions:  {s.TransactionCount} ({s.CompressedTransactionCount} compressed), {s.EventCount} events, {s.UnknownEventCount} unknown"));
        foreach (var (type, count) in s.EventCounts.OrderByDescending(kv => kv.Value))
        {
            o.WriteLine(string.Create(ci, $"    {type,-34} {count,10}"));
        }

        foreach (var issue in s.Errors)
        {
            o.WriteLine(string.Create(ci, $"  ERROR   [{issue.Code}] at {issue.Offset}: {issue.Message}"));
        }

        foreach (var issue in s.Warnings)
        {
            o.WriteLine(string.Create(ci, $"  warning [{issue.Code}] at {issue.Offset}: {issue.Message}"));
        }

        o.WriteLine();
    }

    private static string Show(GtidSet set) => set.IsEmpty ? "(empty)" : set.ToString();
}
