using BinlogArchive.Core.Archiving;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>One archive found in the store, with the sidecar text its planning view was built from.</summary>
internal sealed record StoredArchive(ArchivedBinlog Binlog, Sidecar Sidecar, byte[] SidecarBytes, string ArchiveKey, string ArchiveUri);
