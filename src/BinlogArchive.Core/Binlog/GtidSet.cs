namespace BinlogArchive.Core.Binlog;

/// <summary>
/// An immutable set of GTIDs in one flavor's notation.
/// MySQL: <c>uuid:1-5:7,uuid2:1-3:tag:1-2</c> (per uuid and tag, sorted disjoint intervals).
/// MariaDB: keyed by domain; <c>d-s-n</c> means seq 1..n of domain d (a position, as in
/// gtid_binlog_pos), <c>d-s-a..b</c> a range; s is the server id of the highest seq.
/// </summary>
public sealed class GtidSet : IEquatable<GtidSet>
{
    private GtidSet() => throw new NotImplementedException();

    public BinlogFlavor Flavor => throw new NotImplementedException();

    public bool IsEmpty => throw new NotImplementedException();

    public static GtidSet Empty(BinlogFlavor flavor) => throw new NotImplementedException();

    /// <summary>Parses either notation; <paramref name="flavor"/> Unknown detects it from the text.</summary>
    public static GtidSet Parse(string text, BinlogFlavor flavor = BinlogFlavor.Unknown) => throw new NotImplementedException();

    public static bool TryParse(string text, BinlogFlavor flavor, out GtidSet? set) => throw new NotImplementedException();

    public GtidSet Union(GtidSet other) => throw new NotImplementedException();

    public GtidSet Subtract(GtidSet other) => throw new NotImplementedException();

    public bool Contains(string gtid) => throw new NotImplementedException();

    public bool IsSubsetOf(GtidSet other) => throw new NotImplementedException();

    public bool Equals(GtidSet? other) => throw new NotImplementedException();

    public override bool Equals(object? obj) => Equals(obj as GtidSet);

    public override int GetHashCode() => throw new NotImplementedException();

    /// <summary>Canonical text; parses back to an equal set.</summary>
    public override string ToString() => throw new NotImplementedException();
}
