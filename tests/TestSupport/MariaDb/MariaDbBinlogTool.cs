using System.Globalization;
using System.Text.RegularExpressions;

namespace BinlogArchive.Tests.MariaDb;

/// <summary>One event header line of mariadb-binlog output: "# at POS" then "#YYMMDD HH:MM:SS server id N  end_log_pos M ...".</summary>
public sealed record BinlogToolEventHeader(long Position, DateTimeOffset Timestamp, long ServerId, long EndLogPos);

/// <summary>Runs the server's own `mariadb-binlog` on a file, the independent reference for event times.</summary>
public static partial class MariaDbBinlogTool
{
    /// <summary>Runs mariadb-binlog FILE ARGS with TZ=UTC (it prints header times in local time).</summary>
    public static ToolResult Run(string path, params string[] arguments)
    {
        var args = new List<string> { "--no-defaults" };
        args.AddRange(arguments);
        args.Add(path);
        return ToolProcess.Run(ToolProcess.Find("mariadb-binlog"), args, standardInput: null, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["TZ"] = "UTC" });
    }

    /// <summary>The text output of mariadb-binlog (row events not decoded); throws on a non-zero exit.</summary>
    public static string Decode(string path)
    {
        var r = Run(path, "--base64-output=never");
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-binlog {path} failed (exit {r.ExitCode}): {r.StandardError.Trim()}");
        }

        return r.StandardOutput;
    }

    /// <summary>Every event header mariadb-binlog printed, in file order, times in UTC.</summary>
    public static IReadOnlyList<BinlogToolEventHeader> ReadEventHeaders(string path) => ParseEventHeaders(Decode(path));

    /// <remarks>
    /// mariadb-binlog does not always put "# at POS" right before its event's header: for an
    /// ANNOTATE_ROWS event it prints "# at A", "# at B", then the Annotate_rows header (at A) and
    /// the Table_map header (at B). So positions are queued and each header takes the oldest.
    /// </remarks>
    public static IReadOnlyList<BinlogToolEventHeader> ParseEventHeaders(string output)
    {
        var result = new List<BinlogToolEventHeader>();
        var pending = new Queue<long>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("# at ", StringComparison.Ordinal))
            {
                pending.Enqueue(long.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture));
                continue;
            }

            var m = HeaderLine().Match(line);
            if (m.Success && pending.TryDequeue(out var pos))
            {
                // #251122  4:15:00: YYMMDD, hour space-padded. Two-digit years are 20YY.
                var g = m.Groups;
                var t = new DateTimeOffset(
                    2000 + int.Parse(g[1].Value, CultureInfo.InvariantCulture),
                    int.Parse(g[2].Value, CultureInfo.InvariantCulture),
                    int.Parse(g[3].Value, CultureInfo.InvariantCulture),
                    int.Parse(g[4].Value, CultureInfo.InvariantCulture),
                    int.Parse(g[5].Value, CultureInfo.InvariantCulture),
                    int.Parse(g[6].Value, CultureInfo.InvariantCulture),
                    TimeSpan.Zero);
                result.Add(new BinlogToolEventHeader(pos, t,
                    long.Parse(g[7].Value, CultureInfo.InvariantCulture),
                    long.Parse(g[8].Value, CultureInfo.InvariantCulture)));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^#(\d{2})(\d{2})(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2}) server id (\d+)\s+end_log_pos (\d+)")]
    private static partial Regex HeaderLine();
}
