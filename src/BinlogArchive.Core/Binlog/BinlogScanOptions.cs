namespace BinlogArchive.Core.Binlog;

public sealed class BinlogScanOptions
{
    /// <summary>Verify the CRC32 of each event when the FDE says checksums are on.</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Called once per transaction, in file order. Transactions are not kept in the summary,
    /// so memory stays bounded whatever the file size; callers that need them (restore cut
    /// points) collect them here.
    /// </summary>
    public Action<BinlogTransaction>? OnTransaction { get; init; }
}
