namespace BinlogArchive.Core.Discovery;

public sealed class DiscoveryOptions
{
    /// <summary>Index file to use; found in the binlog directory when null.</summary>
    public string? IndexPath { get; init; }

    /// <summary>
    /// Read every event of each closed file (last event time, added GTIDs, transaction count).
    /// False reads only the head of each file (FDE and previous-GTIDs event), which is what the
    /// archive cycle needs, since protecting a file scans it anyway.
    /// </summary>
    public bool FullScan { get; init; } = true;

    /// <summary>
    /// A non-newest file whose in-use flag is still set was modified less than this long ago: the
    /// server is most likely still closing it (the flag is cleared last), so it is held back.
    /// </summary>
    public TimeSpan ClosingGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
