namespace BinlogArchive.Core.Storage.Sending;

/// <summary>What Send-BinlogArchive emits: where the archive is, proof it is there, and the binlog's identity so later stages bind by property name.</summary>
public sealed record StoredBinlogArchive
{
    /// <summary>The local archive path (binds to -LiteralPath/FullName in pwsh pipelines).</summary>
    public required string FullName { get; init; }

    public required string Uri { get; init; }

    public required string Key { get; init; }

    public required string SidecarKey { get; init; }

    public string? ETag { get; init; }

    public long Bytes { get; init; }

    public string? Sha256 { get; init; }

    public TimeSpan Duration { get; init; }

    public SendOutcome Outcome { get; init; }

    public required string Server { get; init; }

    public required string SourceName { get; init; }

    public long Sequence { get; init; }

    public uint ServerId { get; init; }

    public string? ServerUuid { get; init; }

    public DateTimeOffset? FirstEventAt { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    public string? AddedGtids { get; init; }

    /// <summary>Dry run: what could not be proven without writing.</summary>
    public IReadOnlyList<string>? NotChecked { get; init; }
}
