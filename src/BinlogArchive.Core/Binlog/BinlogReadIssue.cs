namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Something the reader noticed at a byte offset. <see cref="Code"/> is stable
/// (e.g. "BadMagic", "CrcMismatch", "TruncatedEvent", "UnknownEventType").
/// </summary>
public sealed record BinlogReadIssue(long Offset, string Code, string Message);
