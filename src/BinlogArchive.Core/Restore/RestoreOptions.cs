namespace BinlogArchive.Core.Restore;

/// <summary>Choices that change what the planner accepts.</summary>
public sealed record RestoreOptions
{
    public static RestoreOptions Default { get; } = new();

    /// <summary>
    /// Override: carry on across a gap, overlap or fork in the chain instead of stopping. Each
    /// overridden problem is kept in <see cref="RestorePlan.Warnings"/> and the chain proof.
    /// Transactions missing from a gap are simply not applied.
    /// </summary>
    public bool AllowGaps { get; init; }

    /// <summary>
    /// Follow the chain onto another server (a failover or switchover) when the GTID state proves
    /// the new server continues exactly where the old one's archived binlogs end.
    /// </summary>
    public bool AllowServerSwitchover { get; init; }

    /// <summary>Consider only archives written by this server_id.</summary>
    public uint? ServerId { get; init; }

    /// <summary>Consider only archives written by this server_uuid (case-insensitive).</summary>
    public string? ServerUuid { get; init; }
}
