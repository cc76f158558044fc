namespace BinlogArchive.Core.Compression;

/// <summary><c>ZSTD_EndDirective</c> from zstd.h.</summary>
internal enum ZstdEndDirective
{
    Continue = 0,
    Flush = 1,
    End = 2,
}
