using System.Text;

namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// Parses `mariadb --batch --skip-column-names` output: one row per line, columns separated by
/// tabs, and inside values the client escapes \n, \t, \\ and NUL (\0). We deliberately do NOT
/// pass --raw: with --raw a multi-line value (SHOW BINLOG EVENTS' Info for a multi-line
/// CREATE TABLE) would split one row over several lines and be misparsed.
/// A SQL NULL comes out as the text "NULL", indistinguishable from the string 'NULL'.
/// </summary>
public static class MariaDbBatchOutput
{
    public static IReadOnlyList<string[]> ParseRows(string output)
    {
        var rows = new List<string[]>();
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            rows.Add(line.Split('\t').Select(Unescape).ToArray());
        }

        return rows;
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '\\' || i + 1 == value.Length)
            {
                sb.Append(c);
                continue;
            }

            var next = value[++i];
            sb.Append(next switch
            {
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                'r' => '\r',
                'b' => '\b',
                'Z' => '\x1a',
                _ => next,
            });
        }

        return sb.ToString();
    }
}
