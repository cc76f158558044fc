namespace BinlogArchive.Core.Discovery;

/// <summary>What discovery found in one binlog directory.</summary>
public sealed record ClosedBinlogScan(
    string BinlogDirectory,
    string IndexFile,
    IReadOnlyList<BinlogFile> Closed,
    string? ActiveFile,
    IReadOnlyList<DiscoveryIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == DiscoverySeverity.Error);
}
