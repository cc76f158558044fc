namespace BinlogArchive.Core.Crypto;

/// <summary>The BLAR1 header's cipher byte (ARCHITECTURE.md §4).</summary>
public enum BlarCipher : byte
{
    /// <summary>AES-256-GCM (NIST SP 800-38D) under an HKDF-SHA256 (RFC 5869) per-file key.</summary>
    Aes256GcmHkdfSha256 = 1,
}
