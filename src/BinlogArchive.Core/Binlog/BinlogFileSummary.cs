namespace BinlogArchive.Core.Binlog;

/// <summary>What one pass of the reader found in one binlog file.</summary>
public sealed record BinlogFileSummary
{
    public required string FileName { get; init; }

    /// <summary>Bytes the reader consumed (the file size for a file read to its end).</summary>
    public long Size { get; init; }

    public BinlogFlavor Flavor { get; init; }

    public string? ServerVersion { get; init; }

    public uint ServerId { get; init; }

    public BinlogChecksumAlgorithm ChecksumAlgorithm { get; init; }

    /// <summary>LOG_EVENT_BINLOG_IN_USE_F was set on the FDE.</summary>
    public bool InUseFlag { get; init; }

    /// <summary>In-use flag clear and the file ends with STOP or ROTATE.</summary>
    public bool ClosedCleanly { get; init; }

    /// <summary>Name of the last complete event's type (e.g. "STOP_EVENT", "ROTATE_EVENT").</summary>
    public string? LastEventType { get; init; }

    /// <summary>The next file named by a final ROTATE event, if any.</summary>
    public string? RotatesTo { get; init; }

    public DateTimeOffset? FirstEventAt { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>Offset of the first event (4 for binlog v4).</summary>
    public long StartPosition { get; init; }

    /// <summary>Offset just past the last complete event.</summary>
    public long EndPosition { get; init; }

    /// <summary>The file ends inside an event (normal for a file still being written).</summary>
    public bool TruncatedTail { get; init; }

    /// <summary>PREVIOUS_GTIDS (MySQL) or GTID_LIST (MariaDB): the state before this file.</summary>
    public required GtidSet PreviousGtids { get; init; }

    /// <summary>GTIDs of the transactions in this file.</summary>
    public required GtidSet AddedGtids { get; init; }

    /// <summary>Previous ∪ added.</summary>
    public required GtidSet ExecutedGtids { get; init; }

    public long EventCount { get; init; }

    public long TransactionCount { get; init; }

    /// <summary>Transactions carried in TRANSACTION_PAYLOAD events (MySQL binlog_transaction_compression).</summary>
    public long CompressedTransactionCount { get; init; }

    public long UnknownEventCount { get; init; }

    /// <summary>Events counted by type name (e.g. "QUERY_EVENT" → 12).</summary>
    public IReadOnlyDictionary<string, long> EventCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>Problems that stopped parsing or make the file unfit to archive as-is.</summary>
    public IReadOnlyList<BinlogReadIssue> Errors { get; init; } = [];

    /// <summary>Things worth knowing that do not make the file invalid (unknown events skipped, ...).</summary>
    public IReadOnlyList<BinlogReadIssue> Warnings { get; init; } = [];

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// For callers that want strict behaviour: throws a <see cref="BinlogFormatException"/> for the
    /// first error (its <see cref="BinlogReadIssue.Code"/> is the ErrorId; file and offset are in the
    /// message). Returns this summary when there is no error.
    /// </summary>
    public BinlogFileSummary ThrowIfInvalid()
    {
        if (Errors.Count > 0)
        {
            var first = Errors[0];
            throw new BinlogFormatException(first.Code, FileName, first.Offset, first.Message);
        }

        return this;
    }
}
