using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Core.Cycle;

/// <summary>The result of one discover → protect → verify → send → catalog run.</summary>
public sealed record ArchiveCycleSummary
{
    public required string BinlogDirectory { get; init; }

    public required string Destination { get; init; }

    public string? Server { get; init; }

    public string? ActiveFile { get; init; }

    public required IReadOnlyList<CycleItem> Items { get; init; }

    public required IReadOnlyList<DiscoveryIssue> Issues { get; init; }

    public TimeSpan Duration { get; init; }

    public int Discovered => Items.Count;

    public int AlreadyStored => Items.Count(i => i.Outcome == CycleOutcome.AlreadyStored);

    public int Archived => Items.Count(i => i.Outcome == CycleOutcome.Archived);

    public int Failed => Items.Count(i => i.Outcome == CycleOutcome.Failed);

    /// <summary>Any failed file or discovery error (a binlog missing from the index): the run exits 1.</summary>
    public bool Succeeded => Failed == 0 && Issues.All(i => i.Severity != DiscoverySeverity.Error);
}
