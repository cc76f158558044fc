using System.Text.Json;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// What Restore-BinlogToPoint / <c>binlog-archive restore</c> did (ARCHITECTURE.md §3). The
/// durations split the work the engine does (fetch, verify, decode = decrypt + decompress) from the
/// time the server takes to apply it, so a slow restore shows where the time went.
/// </summary>
public sealed record BinlogRestoreResult
{
    public required RestoreMode Mode { get; init; }

    public required RestorePlan Plan { get; init; }

    /// <summary>True when the replay or the output was completed (false for a plan only).</summary>
    public bool Applied { get; init; }

    public required IReadOnlyList<RestoredFile> Files { get; init; }

    /// <summary>First file and position applied, e.g. mysql-bin.000002:1234.</summary>
    public string? StartedAt { get; init; }

    /// <summary>Last file and the position where applying stopped.</summary>
    public string? StoppedAt { get; init; }

    public required GtidSet GtidsApplied { get; init; }

    public string? LastAppliedGtid { get; init; }

    public DateTimeOffset? LastAppliedCommitTime { get; init; }

    /// <summary>Replay: the target's GTID state read back after the replay (gtid_binlog_pos / gtid_executed).</summary>
    public string? TargetGtidsAfter { get; init; }

    /// <summary>Continue: the target's GTID state the restore started from.</summary>
    public string? TargetGtidsBefore { get; init; }

    public string? OutputDirectory { get; init; }

    public string? ReplayScript { get; init; }

    /// <summary>The exact mysqlbinlog | mysql command (replay: as run; output directory: as written to replay.sh).</summary>
    public string? Command { get; init; }

    public long ArchiveBytes { get; init; }

    public long PlainBytes { get; init; }

    /// <summary>Summed time downloading archives (planning and execution).</summary>
    public TimeSpan FetchDuration { get; init; }

    /// <summary>Summed time in ArchiveVerifier (a full decrypt + decompress + hash pass per archive).</summary>
    public TimeSpan VerifyDuration { get; init; }

    /// <summary>Time spent decrypting and decompressing for the apply (or the output files).</summary>
    public TimeSpan DecodeDuration { get; init; }

    /// <summary>Replay: wall time from starting mysqlbinlog to the client's exit. Output directory: writing the files.</summary>
    public TimeSpan ApplyDuration { get; init; }

    public TimeSpan TotalDuration { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, (indented ? ArchiveJson.Indented : ArchiveJson.Compact).BinlogRestoreResult);
}
