namespace BinlogArchive.Core.Discovery;

public enum DiscoverySeverity
{
    Warning,
    Error,
}
