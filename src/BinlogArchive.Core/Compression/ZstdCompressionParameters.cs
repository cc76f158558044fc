using System.Runtime.InteropServices;

namespace BinlogArchive.Core.Compression;

/// <summary>zstd.h's <c>ZSTD_compressionParameters</c>, as ZSTD_getCParams returns it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct ZstdCompressionParameters
{
    public readonly uint WindowLog;
    public readonly uint ChainLog;
    public readonly uint HashLog;
    public readonly uint SearchLog;
    public readonly uint MinMatch;
    public readonly uint TargetLength;
    public readonly int Strategy;
}
