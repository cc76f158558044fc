namespace BinlogArchive.Core.Cycle;

/// <summary>What the cycle did with one closed binlog.</summary>
public sealed record CycleItem
{
    public required string Name { get; init; }

    public required string FullName { get; init; }

    public long Sequence { get; init; }

    public CycleOutcome Outcome { get; init; }

    public string? Uri { get; init; }

    public long SourceSize { get; init; }

    public long ArchiveSize { get; init; }

    public TimeSpan ProtectDuration { get; init; }

    public TimeSpan SendDuration { get; init; }

    public string? ErrorId { get; init; }

    public string? Error { get; init; }
}
