namespace BinlogArchive.Tests.Integration.Binlog;

/// <summary>
/// Compares the server's SHOW BINLOG EVENTS type names ("Format_desc", "Write_rows_v1", "Gtid")
/// with the reader's (constant names from the spec, e.g. "FORMAT_DESCRIPTION_EVENT",
/// "WRITE_ROWS_EVENT_V1", "GTID_EVENT" or "MARIADB_GTID_EVENT") by reducing both to one key.
/// </summary>
internal static class EventTypeNames
{
    private static readonly Dictionary<string, string> ServerAliases = new(StringComparer.Ordinal)
    {
        ["FORMATDESC"] = "FORMATDESCRIPTION",
        ["PREVIOUSGTIDS"] = "PREVIOUSGTIDS",
    };

    public static string Key(string name)
    {
        var k = new string(name.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        k = k.Replace("EVENT", "", StringComparison.Ordinal);
        if (k.StartsWith("MARIADB", StringComparison.Ordinal))
        {
            k = k["MARIADB".Length..];
        }

        if (k.EndsWith("LOG", StringComparison.Ordinal))
        {
            k = k[..^3];
        }

        return ServerAliases.GetValueOrDefault(k, k);
    }

    public static SortedDictionary<string, long> Normalize(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in counts)
        {
            var key = Key(name);
            result[key] = result.GetValueOrDefault(key) + count;
        }

        return result;
    }
}
