namespace BinlogArchive.Core.Crypto;

/// <summary>What an archive file is, judged by its first bytes.</summary>
public enum ArchiveFormat
{
    Unknown,

    /// <summary>"BLAR" magic (any version).</summary>
    Blar,

    /// <summary>A plain zstd frame: magic 28 B5 2F FD (RFC 8878 §3.1.1).</summary>
    Zstd,

    /// <summary>openssl enc with -salt: "Salted__" + 8-byte salt.</summary>
    OpenSslSalted,
}
