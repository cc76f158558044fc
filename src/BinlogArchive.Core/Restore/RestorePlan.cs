using System.Text.Json;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// The output of <see cref="RestorePlanner.Plan"/>: which archives to replay, from where to where,
/// and what that applies. Serialises with <see cref="ArchiveJson"/> (<c>restore --plan-only --json</c>).
/// </summary>
public sealed record RestorePlan
{
    public required BinlogFlavor Flavor { get; init; }

    public required BackupCoordinates Backup { get; init; }

    public required RestoreTarget Target { get; init; }

    /// <summary>In replay order. Empty when nothing after the backup is to be applied.</summary>
    public required IReadOnlyList<RestoreStep> Steps { get; init; }

    /// <summary>GTIDs the replay applies (state at stop minus state at start).</summary>
    public required GtidSet GtidsToApply { get; init; }

    /// <summary>
    /// True when <see cref="GtidsToApply"/> may include transactions the backup already holds: the
    /// backup was given as file+position only and the first file was not scanned.
    /// </summary>
    public bool GtidsToApplyIsUpperBound { get; init; }

    /// <summary>The server's GTID state after the replay.</summary>
    public required GtidSet GtidsAtStop { get; init; }

    /// <summary>The last transaction applied, when the stop was computed from the file's transactions.</summary>
    public string? LastAppliedGtid { get; init; }

    public DateTimeOffset? LastAppliedCommitTime { get; init; }

    /// <summary>Where and why the replay stops, in words.</summary>
    public required string StopDescription { get; init; }

    /// <summary>Set when a time target fell inside a whole second holding transactions (MariaDB).</summary>
    public RestoreAmbiguity? Ambiguity { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required RestoreChainProof Chain { get; init; }

    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, (indented ? ArchiveJson.Indented : ArchiveJson.Compact).RestorePlan);
}
