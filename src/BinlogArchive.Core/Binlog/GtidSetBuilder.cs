namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Accumulates the GTIDs a scan finds, cheaply: consecutive numbers extend the last interval in
/// place, so a file with a million transactions costs one list entry per gap, not per GTID.
/// </summary>
internal sealed class GtidSetBuilder
{
    private readonly Dictionary<(string Uuid, string Tag), List<GtidInterval>> _mysql = [];
    private readonly Dictionary<uint, (uint ServerId, ulong MaxSeq, List<GtidInterval> Seqs)> _mariadb = [];

    public void AddMySql(string uuid, string tag, ulong gno)
    {
        if (!_mysql.TryGetValue((uuid, tag), out var list))
        {
            list = [];
            _mysql[(uuid, tag)] = list;
        }

        Add(list, gno);
    }

    public void AddMariaDb(uint domain, uint serverId, ulong seq)
    {
        if (!_mariadb.TryGetValue(domain, out var d))
        {
            d = (serverId, seq, []);
        }
        else if (seq >= d.MaxSeq)
        {
            d = (serverId, seq, d.Seqs);
        }

        Add(d.Seqs, seq);
        _mariadb[domain] = d;
    }

    public GtidSet Build(BinlogFlavor flavor)
    {
        if (_mysql.Count > 0)
        {
            return GtidSet.FromMySql(_mysql.Select(kv =>
                new MySqlGtidEntry(kv.Key.Uuid, kv.Key.Tag, GtidIntervalSet.From(kv.Value))));
        }

        if (_mariadb.Count > 0)
        {
            return GtidSet.FromMariaDb(_mariadb.Select(kv =>
                new MariaDbGtidDomain(kv.Key, kv.Value.ServerId, GtidIntervalSet.From(kv.Value.Seqs))));
        }

        return GtidSet.Empty(flavor);
    }

    private static void Add(List<GtidInterval> list, ulong n)
    {
        if (list.Count > 0)
        {
            var last = list[^1];
            if (n >= last.First && n <= last.Last)
            {
                return;
            }

            if (last.Last != ulong.MaxValue && n == last.Last + 1)
            {
                list[^1] = new GtidInterval(last.First, n);
                return;
            }
        }

        // Out-of-order numbers are appended; GtidIntervalSet.From sorts and merges them at the end.
        list.Add(new GtidInterval(n, n));
    }
}
