namespace BinlogArchive.Core.Compression;

/// <summary>Mirror of <c>ZSTD_outBuffer</c> (zstd.h): { void* dst; size_t size; size_t pos; }.</summary>
internal unsafe struct ZstdOutBuffer
{
    public byte* Dst;
    public nuint Size;
    public nuint Pos;
}
