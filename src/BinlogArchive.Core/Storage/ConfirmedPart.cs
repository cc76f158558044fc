namespace BinlogArchive.Core.Storage;

/// <summary>A part the server acknowledged: its number (1-based), the ETag it returned, and its size.</summary>
public sealed record ConfirmedPart(int Number, string ETag, long Size);
