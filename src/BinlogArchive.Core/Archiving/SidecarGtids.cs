namespace BinlogArchive.Core.Archiving;

/// <summary>GTID sets of the source file, as text in the flavor's own notation.</summary>
public sealed record SidecarGtids(string Previous, string Added, string Executed);
