namespace BinlogArchive.Core.Restore.Execution;

/// <summary>One file of the replay: its cached (verified) archive and the cut to apply.</summary>
internal sealed record ReplayFeed(StoredArchive Archive, string CachedPath, long StartPosition, long? StopPosition);
