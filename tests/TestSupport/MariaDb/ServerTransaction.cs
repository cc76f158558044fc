namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// A GTID group as delimited from SHOW BINLOG EVENTS rows: from the Gtid event to the event that
/// ends it (Xid, Query COMMIT/ROLLBACK after "BEGIN GTID", or the single Query after a standalone
/// "GTID" such as DDL). Same rules as tests/fixtures/manifest.py.
/// </summary>
public sealed record ServerTransaction(
    string Gtid,
    long GtidPos,
    long GtidEndLogPos,
    bool BeginsTransaction,
    string EndEventType,
    long EndPos,
    long EndLogPos,
    string Kind)
{
    public static IReadOnlyList<ServerTransaction> FromEvents(IEnumerable<BinlogEventRow> rows)
    {
        var result = new List<ServerTransaction>();
        BinlogEventRow? gtidRow = null;
        string? gtid = null;
        var begins = false;
        foreach (var row in rows)
        {
            if (row.EventType == "Gtid")
            {
                // Info: "BEGIN GTID 0-1-5" or "GTID 0-1-6" (possibly with more text after, e.g. XA).
                var info = row.Info.Trim();
                begins = info.StartsWith("BEGIN GTID ", StringComparison.Ordinal);
                var rest = begins ? info["BEGIN GTID ".Length..] : info.StartsWith("GTID ", StringComparison.Ordinal) ? info["GTID ".Length..] : info;
                gtid = rest.Split(' ', 2)[0];
                gtidRow = row;
                continue;
            }

            if (gtidRow is null || gtid is null)
            {
                continue;
            }

            string? kind = null;
            if (begins)
            {
                if (row.EventType == "Xid")
                {
                    kind = "xid";
                }
                else if (row.EventType == "Query" && row.Info.Trim().ToUpperInvariant() is "COMMIT" or "ROLLBACK")
                {
                    kind = "commit";
                }
            }
            else if (row.EventType == "Query")
            {
                kind = "ddl";
            }

            if (kind is not null)
            {
                result.Add(new ServerTransaction(gtid, gtidRow.Pos, gtidRow.EndLogPos, begins, row.EventType, row.Pos, row.EndLogPos, kind));
                gtidRow = null;
                gtid = null;
            }
        }

        return result;
    }
}
