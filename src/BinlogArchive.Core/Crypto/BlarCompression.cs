namespace BinlogArchive.Core.Crypto;

/// <summary>The BLAR1 header's compression byte (ARCHITECTURE.md §4).</summary>
public enum BlarCompression : byte
{
    None = 0,
    Zstd = 1,
    Lz4Frame = 2,
}
