namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Immutable, sorted, disjoint and non-adjacent intervals (1-5 and 6-7 are stored as 1-7), so that two
/// equal sets always have the same representation and the same text.
/// </summary>
internal sealed class GtidIntervalSet : IEquatable<GtidIntervalSet>
{
    public static readonly GtidIntervalSet Empty = new([]);

    private readonly GtidInterval[] _items;

    private GtidIntervalSet(GtidInterval[] normalized) => _items = normalized;

    public IReadOnlyList<GtidInterval> Items => _items;

    public bool IsEmpty => _items.Length == 0;

    /// <summary>The highest number in the set; 0 when empty.</summary>
    public ulong Max => _items.Length == 0 ? 0 : _items[^1].Last;

    public static GtidIntervalSet From(IEnumerable<GtidInterval> intervals)
    {
        var list = intervals.ToList();
        foreach (var i in list)
        {
            if (i.First > i.Last)
            {
                throw new ArgumentException($"interval {i.First}-{i.Last} is reversed", nameof(intervals));
            }
        }

        list.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<GtidInterval>(list.Count);
        foreach (var i in list)
        {
            if (merged.Count > 0 && Touches(merged[^1], i))
            {
                var last = merged[^1];
                merged[^1] = new GtidInterval(last.First, Math.Max(last.Last, i.Last));
            }
            else
            {
                merged.Add(i);
            }
        }

        return merged.Count == 0 ? Empty : new GtidIntervalSet([.. merged]);
    }

    public GtidIntervalSet Union(GtidIntervalSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        return IsEmpty ? other : From(_items.Concat(other._items));
    }

    public GtidIntervalSet Subtract(GtidIntervalSet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        var result = new List<GtidInterval>();
        int j = 0;
        foreach (var interval in _items)
        {
            ulong first = interval.First;
            ulong last = interval.Last;
            bool alive = true;
            while (j < other._items.Length && other._items[j].Last < first)
            {
                j++;
            }

            for (int k = j; k < other._items.Length && other._items[k].First <= last; k++)
            {
                var cut = other._items[k];
                if (cut.First > first)
                {
                    result.Add(new GtidInterval(first, cut.First - 1));
                }

                if (cut.Last >= last)
                {
                    alive = false;
                    break;
                }

                first = cut.Last + 1;
            }

            if (alive)
            {
                result.Add(new GtidInterval(first, last));
            }
        }

        return result.Count == 0 ? Empty : new GtidIntervalSet([.. result]);
    }

    public bool Contains(ulong n)
    {
        int lo = 0, hi = _items.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[mid].Last < n)
            {
                lo = mid + 1;
            }
            else if (_items[mid].First > n)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public bool IsSubsetOf(GtidIntervalSet other) => Subtract(other).IsEmpty;

    public bool Equals(GtidIntervalSet? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as GtidIntervalSet);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var i in _items)
        {
            h.Add(i);
        }

        return h.ToHashCode();
    }

    private static bool Touches(GtidInterval left, GtidInterval right) =>
        left.Last == ulong.MaxValue || right.First <= left.Last + 1;
}
