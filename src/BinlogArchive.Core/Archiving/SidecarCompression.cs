namespace BinlogArchive.Core.Archiving;

public sealed record SidecarCompression(string Algorithm, int Level);
