namespace BinlogArchive.Core.Compression;

/// <summary>Mirror of <c>ZSTD_inBuffer</c> (zstd.h): { const void* src; size_t size; size_t pos; }.</summary>
internal unsafe struct ZstdInBuffer
{
    public byte* Src;
    public nuint Size;
    public nuint Pos;
}
