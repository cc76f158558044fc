namespace BinlogArchive.Core.Compression;

/// <summary>The <c>ZSTD_cParameter</c> values we set; numbers are the stable ABI values from zstd.h.</summary>
internal enum ZstdCParameter
{
    CompressionLevel = 100,
    ContentSizeFlag = 200,
    ChecksumFlag = 201,
    NbWorkers = 400,
    JobSize = 401,
    OverlapLog = 402,
}
