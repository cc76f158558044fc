namespace BinlogArchive.Core.Archiving;

/// <summary>Progress of one protect pass, reported about every 8 MiB of source.</summary>
public sealed record ProtectProgress(string SourceName, long BytesRead, long TotalBytes, long BytesWritten);
