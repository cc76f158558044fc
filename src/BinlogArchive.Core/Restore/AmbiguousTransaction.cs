namespace BinlogArchive.Core.Restore;

/// <summary>A transaction whose whole-second commit time makes a time target ambiguous; its positions give an exact cut.</summary>
public sealed record AmbiguousTransaction(string? Gtid, string File, long StartPosition, long EndPosition, DateTimeOffset CommitTime);
