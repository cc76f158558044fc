using System.Globalization;
using System.Text;

namespace BinlogArchive.Core.Binlog;

/// <summary>
/// An immutable set of GTIDs in one flavor's notation.
/// <para>
/// <b>MySQL</b>: per (source uuid, tag) a sorted list of disjoint intervals of transaction numbers.
/// Text: <c>uuid:1-5:7,uuid2:1-3</c>; MySQL 8.4 tagged GTIDs follow the untagged intervals of their
/// uuid as <c>:tag:intervals</c> groups (<c>uuid:1-13:mytag:1-2</c>). Parsing tolerates whitespace
/// and newlines around elements (MySQL prints <c>,\n</c>) and any letter case; the canonical text
/// (<see cref="ToString"/>) is lower case, uuids sorted, untagged intervals first then tags sorted,
/// adjacent intervals merged (1-5 and 6-7 print as 1-7), elements separated by a bare comma.
/// </para>
/// <para>
/// <b>MariaDB</b>: per replication domain a set of seq_no intervals plus the server id that wrote the
/// highest seq_no of the domain. <c>d-s-n</c> means seq 1..n of domain d (a position, as in
/// gtid_binlog_pos and the GTID_LIST event); <c>d-s-a..b</c> means seq a..b. Canonical text prints an
/// interval that starts at 1 as <c>d-s-n</c> and any other as <c>d-s-a..b</c> (a singleton as
/// <c>d-s-a..a</c>), domains ascending, comma-separated. Seq numbers are unique within a domain
/// (strict mode), so <see cref="Contains"/> and <see cref="IsSubsetOf"/> look at domain and seq only;
/// <see cref="Union"/> keeps the server id of the side with the higher max seq, <see cref="Subtract"/>
/// keeps this set's server id; <see cref="Equals(GtidSet?)"/> compares server ids too (they are part
/// of the text). A seq of 0 (<c>d-s-0</c>) is an empty position and adds nothing.
/// </para>
/// <para>
/// Empty sets are equal whatever their flavor, and an empty set combines with a set of either flavor.
/// Combining two non-empty sets of different flavors throws <see cref="ArgumentException"/>.
/// The executed set of binlog file N (previous ∪ added) equals the previous set of file N+1.
/// </para>
/// </summary>
public sealed class GtidSet : IEquatable<GtidSet>
{
    /// <summary>MySQL's largest gno is 2^63-2 (GNO_END = 2^63-1 is exclusive).</summary>
    private const ulong MaxGno = long.MaxValue - 1;

    private static readonly GtidSet EmptyUnknown = new(BinlogFlavor.Unknown, [], []);
    private static readonly GtidSet EmptyMySql = new(BinlogFlavor.MySql, [], []);
    private static readonly GtidSet EmptyMariaDb = new(BinlogFlavor.MariaDb, [], []);

    private readonly MySqlGtidEntry[] _mysql;
    private readonly MariaDbGtidDomain[] _mariadb;

    private GtidSet(BinlogFlavor flavor, MySqlGtidEntry[] mysql, MariaDbGtidDomain[] mariadb)
    {
        Flavor = flavor;
        _mysql = mysql;
        _mariadb = mariadb;
    }

    public BinlogFlavor Flavor { get; }

    public bool IsEmpty => _mysql.Length == 0 && _mariadb.Length == 0;

    public static GtidSet Empty(BinlogFlavor flavor) => flavor switch
    {
        BinlogFlavor.MySql => EmptyMySql,
        BinlogFlavor.MariaDb => EmptyMariaDb,
        _ => EmptyUnknown,
    };

    /// <summary>
    /// Parses either notation; <paramref name="flavor"/> Unknown detects it from the text (a ':'
    /// means MySQL). An empty or blank string is the empty set.
    /// </summary>
    /// <exception cref="FormatException">The text is not a GTID set; the message says what and where.</exception>
    public static GtidSet Parse(string text, BinlogFlavor flavor = BinlogFlavor.Unknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty(flavor);
        }

        if (flavor == BinlogFlavor.Unknown)
        {
            flavor = text.Contains(':') ? BinlogFlavor.MySql : BinlogFlavor.MariaDb;
        }

        return flavor == BinlogFlavor.MySql ? ParseMySql(text) : ParseMariaDb(text);
    }

    public static bool TryParse(string text, BinlogFlavor flavor, out GtidSet? set)
    {
        try
        {
            set = Parse(text, flavor);
            return true;
        }
        catch (FormatException)
        {
            set = null;
            return false;
        }
    }

    public GtidSet Union(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        RequireSameFlavor(other);
        if (Flavor == BinlogFlavor.MySql)
        {
            var map = _mysql.ToDictionary(e => (e.Uuid, e.Tag), e => e.Numbers);
            foreach (var e in other._mysql)
            {
                map[(e.Uuid, e.Tag)] = map.TryGetValue((e.Uuid, e.Tag), out var mine) ? mine.Union(e.Numbers) : e.Numbers;
            }

            return FromMySql(map.Select(kv => new MySqlGtidEntry(kv.Key.Uuid, kv.Key.Tag, kv.Value)));
        }

        var domains = _mariadb.ToDictionary(d => d.DomainId);
        foreach (var d in other._mariadb)
        {
            if (domains.TryGetValue(d.DomainId, out var mine))
            {
                uint server = d.Seqs.Max > mine.Seqs.Max ? d.ServerId : mine.ServerId;
                domains[d.DomainId] = new MariaDbGtidDomain(d.DomainId, server, mine.Seqs.Union(d.Seqs));
            }
            else
            {
                domains[d.DomainId] = d;
            }
        }

        return FromMariaDb(domains.Values);
    }

    public GtidSet Subtract(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        RequireSameFlavor(other);
        if (Flavor == BinlogFlavor.MySql)
        {
            var theirs = other._mysql.ToDictionary(e => (e.Uuid, e.Tag), e => e.Numbers);
            return FromMySql(_mysql.Select(e => theirs.TryGetValue((e.Uuid, e.Tag), out var cut)
                ? e with { Numbers = e.Numbers.Subtract(cut) }
                : e));
        }

        var their = other._mariadb.ToDictionary(d => d.DomainId, d => d.Seqs);
        return FromMariaDb(_mariadb.Select(d => their.TryGetValue(d.DomainId, out var cut)
            ? d with { Seqs = d.Seqs.Subtract(cut) }
            : d));
    }

    /// <summary>
    /// True when the set holds the single GTID <paramref name="gtid"/>: <c>uuid:n</c>,
    /// <c>uuid:tag:n</c> (MySQL) or <c>d-s-n</c> (MariaDB: domain d, seq n; the server id is not compared).
    /// </summary>
    /// <exception cref="FormatException">The text is not a single GTID.</exception>
    public bool Contains(string gtid)
    {
        ArgumentNullException.ThrowIfNull(gtid);
        var text = gtid.Trim();
        if (text.Contains(':'))
        {
            var parts = text.Split(':');
            if (parts.Length is < 2 or > 3)
            {
                throw new FormatException($"'{gtid}' is not a single MySQL GTID (expected uuid:n or uuid:tag:n).");
            }

            var uuid = ParseUuid(parts[0], gtid);
            var tag = parts.Length == 3 ? ParseTag(parts[1], gtid) : "";
            var gno = ParseNumber(parts[^1], gtid, "transaction number");
            if (gno is 0 or > MaxGno)
            {
                throw new FormatException($"'{gtid}': transaction number must be between 1 and {MaxGno}.");
            }

            if (Flavor == BinlogFlavor.MariaDb)
            {
                return false;
            }

            foreach (var e in _mysql)
            {
                if (e.Uuid == uuid && e.Tag == tag)
                {
                    return e.Numbers.Contains(gno);
                }
            }

            return false;
        }

        var pieces = text.Split('-');
        if (pieces.Length != 3)
        {
            throw new FormatException($"'{gtid}' is not a single GTID (expected uuid:n or domain-server-seq).");
        }

        uint domain = checked((uint)ParseNumber(pieces[0], gtid, "domain id", uint.MaxValue));
        _ = ParseNumber(pieces[1], gtid, "server id", uint.MaxValue);
        ulong seq = ParseNumber(pieces[2], gtid, "seq_no");
        if (Flavor == BinlogFlavor.MySql)
        {
            return false;
        }

        foreach (var d in _mariadb)
        {
            if (d.DomainId == domain)
            {
                return d.Seqs.Contains(seq);
            }
        }

        return false;
    }

    /// <summary>Every GTID of this set is in <paramref name="other"/> (MariaDB: server ids are not compared).</summary>
    public bool IsSubsetOf(GtidSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty)
        {
            return true;
        }

        if (other.IsEmpty || other.Flavor != Flavor)
        {
            return false;
        }

        return Subtract(other).IsEmpty;
    }

    public bool Equals(GtidSet? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other) || (IsEmpty && other.IsEmpty))
        {
            return true;
        }

        return Flavor == other.Flavor
            && _mysql.AsSpan().SequenceEqual(other._mysql)
            && _mariadb.AsSpan().SequenceEqual(other._mariadb);
    }

    public override bool Equals(object? obj) => Equals(obj as GtidSet);

    public override int GetHashCode()
    {
        if (IsEmpty)
        {
            return 0;
        }

        var h = new HashCode();
        h.Add(Flavor);
        foreach (var e in _mysql)
        {
            h.Add(e);
        }

        foreach (var d in _mariadb)
        {
            h.Add(d);
        }

        return h.ToHashCode();
    }

    /// <summary>Canonical text (see the type's remarks); parses back to an equal set. Empty set: "".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (_mysql.Length > 0)
        {
            string? currentUuid = null;
            foreach (var e in _mysql)
            {
                if (e.Uuid != currentUuid)
                {
                    if (currentUuid != null)
                    {
                        sb.Append(',');
                    }

                    sb.Append(e.Uuid);
                    currentUuid = e.Uuid;
                }

                if (e.Tag.Length > 0)
                {
                    sb.Append(':').Append(e.Tag);
                }

                foreach (var i in e.Numbers.Items)
                {
                    sb.Append(':').Append(i.First.ToString(CultureInfo.InvariantCulture));
                    if (i.Last != i.First)
                    {
                        sb.Append('-').Append(i.Last.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        foreach (var d in _mariadb)
        {
            foreach (var i in d.Seqs.Items)
            {
                if (sb.Length > 0)
                {
                    sb.Append(',');
                }

                sb.Append(CultureInfo.InvariantCulture, $"{d.DomainId}-{d.ServerId}-");
                sb.Append(i.First == 1
                    ? i.Last.ToString(CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{i.First}..{i.Last}"));
            }
        }

        return sb.ToString();
    }

    internal IReadOnlyList<MySqlGtidEntry> MySqlEntries => _mysql;

    internal IReadOnlyList<MariaDbGtidDomain> MariaDbDomains => _mariadb;

    internal static GtidSet FromMySql(IEnumerable<MySqlGtidEntry> entries)
    {
        var merged = new Dictionary<(string, string), GtidIntervalSet>();
        foreach (var e in entries)
        {
            if (e.Numbers.IsEmpty)
            {
                continue;
            }

            merged[(e.Uuid, e.Tag)] = merged.TryGetValue((e.Uuid, e.Tag), out var have) ? have.Union(e.Numbers) : e.Numbers;
        }

        if (merged.Count == 0)
        {
            return EmptyMySql;
        }

        var array = merged.Select(kv => new MySqlGtidEntry(kv.Key.Item1, kv.Key.Item2, kv.Value)).ToArray();
        Array.Sort(array, static (a, b) =>
        {
            int c = string.CompareOrdinal(a.Uuid, b.Uuid);
            return c != 0 ? c : string.CompareOrdinal(a.Tag, b.Tag);
        });
        return new GtidSet(BinlogFlavor.MySql, array, []);
    }

    internal static GtidSet FromMariaDb(IEnumerable<MariaDbGtidDomain> domains)
    {
        var merged = new Dictionary<uint, MariaDbGtidDomain>();
        foreach (var d in domains)
        {
            if (d.Seqs.IsEmpty)
            {
                continue;
            }

            if (merged.TryGetValue(d.DomainId, out var have))
            {
                uint server = d.Seqs.Max > have.Seqs.Max ? d.ServerId : have.ServerId;
                merged[d.DomainId] = new MariaDbGtidDomain(d.DomainId, server, have.Seqs.Union(d.Seqs));
            }
            else
            {
                merged[d.DomainId] = d;
            }
        }

        if (merged.Count == 0)
        {
            return EmptyMariaDb;
        }

        var array = merged.Values.ToArray();
        Array.Sort(array, static (a, b) => a.DomainId.CompareTo(b.DomainId));
        return new GtidSet(BinlogFlavor.MariaDb, [], array);
    }

    /// <summary>Lower-case hyphenated text of a 16-byte binary uuid (as stored in GTID events).</summary>
    internal static string FormatUuid(ReadOnlySpan<byte> sid)
    {
        // Binary SIDs are stored in text order (big-endian), not in .NET Guid's mixed-endian order.
        return string.Create(36, sid.ToArray(), static (chars, bytes) =>
        {
            const string hex = "0123456789abcdef";
            int c = 0;
            for (int i = 0; i < 16; i++)
            {
                if (i is 4 or 6 or 8 or 10)
                {
                    chars[c++] = '-';
                }

                chars[c++] = hex[bytes[i] >> 4];
                chars[c++] = hex[bytes[i] & 0xF];
            }
        });
    }

    private static GtidSet ParseMySql(string text)
    {
        var entries = new List<MySqlGtidEntry>();
        var elements = text.Split(',');
        for (int n = 0; n < elements.Length; n++)
        {
            var element = elements[n].Trim();
            if (element.Length == 0)
            {
                throw new FormatException($"GTID set '{Shorten(text)}': element {n + 1} is empty (stray comma?).");
            }

            var parts = element.Split(':');
            var uuid = ParseUuid(parts[0].Trim(), element);
            if (parts.Length == 1)
            {
                throw new FormatException($"GTID set element '{element}' (element {n + 1}): uuid without any interval.");
            }

            string tag = "";
            var intervals = new List<GtidInterval>();
            bool tagHasInterval = true;
            for (int p = 1; p < parts.Length; p++)
            {
                var part = parts[p].Trim();
                if (part.Length > 0 && char.IsAsciiDigit(part[0]))
                {
                    intervals.Add(ParseMySqlInterval(part, element));
                    tagHasInterval = true;
                    continue;
                }

                if (!tagHasInterval)
                {
                    throw new FormatException($"GTID set element '{element}': tag '{tag}' has no interval.");
                }

                entries.Add(new MySqlGtidEntry(uuid, tag, GtidIntervalSet.From(intervals)));
                intervals.Clear();
                tag = ParseTag(part, element);
                tagHasInterval = false;
            }

            if (!tagHasInterval)
            {
                throw new FormatException($"GTID set element '{element}': tag '{tag}' has no interval.");
            }

            entries.Add(new MySqlGtidEntry(uuid, tag, GtidIntervalSet.From(intervals)));
        }

        return FromMySql(entries);
    }

    private static GtidInterval ParseMySqlInterval(string part, string element)
    {
        int dash = part.IndexOf('-');
        ulong first = ParseNumber(dash < 0 ? part : part[..dash], element, "transaction number");
        ulong last = dash < 0 ? first : ParseNumber(part[(dash + 1)..], element, "transaction number");
        if (first == 0)
        {
            throw new FormatException($"GTID set element '{element}': interval '{part}' starts at 0; transaction numbers start at 1.");
        }

        if (last < first)
        {
            throw new FormatException($"GTID set element '{element}': interval '{part}' ends before it starts.");
        }

        if (last > MaxGno)
        {
            throw new FormatException($"GTID set element '{element}': interval '{part}' exceeds the largest transaction number {MaxGno}.");
        }

        return new GtidInterval(first, last);
    }

    private static GtidSet ParseMariaDb(string text)
    {
        var domains = new List<MariaDbGtidDomain>();
        var elements = text.Split(',');
        for (int n = 0; n < elements.Length; n++)
        {
            var element = elements[n].Trim();
            if (element.Length == 0)
            {
                throw new FormatException($"GTID set '{Shorten(text)}': element {n + 1} is empty (stray comma?).");
            }

            var pieces = element.Split('-', 3);
            if (pieces.Length != 3)
            {
                throw new FormatException(
                    $"GTID set element '{element}' (element {n + 1}): expected domain-server-seq or domain-server-first..last.");
            }

            uint domain = (uint)ParseNumber(pieces[0], element, "domain id", uint.MaxValue);
            uint server = (uint)ParseNumber(pieces[1], element, "server id", uint.MaxValue);
            var seqText = pieces[2];
            int dots = seqText.IndexOf("..", StringComparison.Ordinal);
            GtidInterval interval;
            if (dots < 0)
            {
                ulong seq = ParseNumber(seqText, element, "seq_no");
                if (seq == 0)
                {
                    continue;
                }

                interval = new GtidInterval(1, seq);
            }
            else
            {
                ulong first = ParseNumber(seqText[..dots], element, "seq_no");
                ulong last = ParseNumber(seqText[(dots + 2)..], element, "seq_no");
                if (first == 0 || last < first)
                {
                    throw new FormatException(
                        $"GTID set element '{element}': range '{seqText}' must satisfy 1 <= first <= last.");
                }

                interval = new GtidInterval(first, last);
            }

            domains.Add(new MariaDbGtidDomain(domain, server, GtidIntervalSet.From([interval])));
        }

        return FromMariaDb(domains);
    }

    private static string ParseUuid(string text, string context)
    {
        var s = text.Trim();
        bool ok = s.Length == 36 || s.Length == 32;
        Span<char> hex = stackalloc char[32];
        int h = 0;
        for (int i = 0; ok && i < s.Length; i++)
        {
            char c = s[i];
            if (s.Length == 36 && i is 8 or 13 or 18 or 23)
            {
                ok = c == '-';
            }
            else if (char.IsAsciiHexDigit(c) && h < 32)
            {
                hex[h++] = char.ToLowerInvariant(c);
            }
            else
            {
                ok = false;
            }
        }

        if (!ok || h != 32)
        {
            throw new FormatException($"GTID '{context}': '{s}' is not a uuid (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
        }

        var x = new string(hex);
        return $"{x[..8]}-{x[8..12]}-{x[12..16]}-{x[16..20]}-{x[20..]}";
    }

    /// <summary>MySQL 8.4 tags: a letter or '_' then up to 31 letters, digits or '_'; case-insensitive, stored lower case.</summary>
    private static string ParseTag(string text, string context)
    {
        var s = text.Trim();
        bool ok = s.Length is >= 1 and <= 32 && (char.IsAsciiLetter(s[0]) || s[0] == '_');
        for (int i = 1; ok && i < s.Length; i++)
        {
            ok = char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_';
        }

        if (!ok)
        {
            throw new FormatException(
                $"GTID '{context}': '{s}' is neither an interval nor a tag (a tag is a letter or '_' followed by up to 31 letters, digits or '_').");
        }

        return s.ToLowerInvariant();
    }

    private static ulong ParseNumber(string text, string context, string what, ulong max = ulong.MaxValue)
    {
        var s = text.Trim();
        if (s.Length == 0 || !s.All(char.IsAsciiDigit)
            || !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw new FormatException($"GTID '{context}': {what} '{s}' is not a number between 0 and {max}.");
        }

        return value;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private void RequireSameFlavor(GtidSet other)
    {
        if (other.Flavor != Flavor)
        {
            throw new ArgumentException(
                $"Cannot combine a {Flavor} GTID set with a {other.Flavor} GTID set.", nameof(other));
        }
    }
}
