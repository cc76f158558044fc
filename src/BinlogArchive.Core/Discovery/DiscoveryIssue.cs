namespace BinlogArchive.Core.Discovery;

/// <summary>A problem found while listing binlogs. Errors make the run fail; warnings do not.</summary>
public sealed record DiscoveryIssue(DiscoverySeverity Severity, string ErrorId, string Target, string Message);
