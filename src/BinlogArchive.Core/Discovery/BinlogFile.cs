using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Core.Discovery;

/// <summary>
/// A binlog file on disk with what the reader found in it: the object Get-ClosedBinlog emits and
/// Protect-Binlog consumes (it binds by <see cref="FullName"/>).
/// </summary>
public sealed record BinlogFile
{
    public required string FullName { get; init; }

    public required string Name { get; init; }

    public long Sequence { get; init; }

    public long Size { get; init; }

    public DateTimeOffset LastWriteTime { get; init; }

    /// <summary>Safe to archive: the server will not write to it again.</summary>
    public bool Closed { get; init; }

    /// <summary>In-use flag clear and the file ends with STOP or ROTATE; null when the end was not read (-Quick).</summary>
    public bool? ClosedCleanly { get; init; }

    public bool InUseFlag { get; init; }

    public uint ServerId { get; init; }

    /// <summary>Set when known (MySQL server_uuid); binlogs do not record it themselves.</summary>
    public string? ServerUuid { get; init; }

    public string? ServerVersion { get; init; }

    public BinlogFlavor Flavor { get; init; }

    public BinlogChecksumAlgorithm ChecksumAlgorithm { get; init; }

    public DateTimeOffset? FirstEventAt { get; init; }

    /// <summary>Null when the file was listed without a full scan (-Quick).</summary>
    public DateTimeOffset? LastEventAt { get; init; }

    public GtidSet? PreviousGtids { get; init; }

    /// <summary>Null when the file was listed without a full scan (-Quick).</summary>
    public GtidSet? AddedGtids { get; init; }

    public GtidSet? ExecutedGtids { get; init; }

    public long? TransactionCount { get; init; }

    public long? EndPosition { get; init; }

    /// <summary>True when every event was read (LastEventAt, AddedGtids, TransactionCount are set).</summary>
    public bool Scanned { get; init; }

    public string? IndexFile { get; init; }
}
