using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Archiving;

/// <summary>One source's outcome in a batch: its entry, or the error that stopped it (the batch goes on).</summary>
public sealed record ProtectResult(string SourcePath, BinlogArchiveEntry? Entry, BinlogArchiveException? Error);
