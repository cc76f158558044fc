namespace BinlogArchive.Core.Binlog;

/// <summary>Values of the FDE checksum_alg byte (BINLOG_CHECKSUM_ALG_*).</summary>
public enum BinlogChecksumAlgorithm
{
    /// <summary>Server predates checksums (MySQL &lt; 5.6.1, MariaDB &lt; 5.3.0): no alg byte at all.</summary>
    NotAware = -1,
    Off = 0,
    Crc32 = 1,
}
