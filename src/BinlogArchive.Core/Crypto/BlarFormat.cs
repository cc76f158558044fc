using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BinlogArchive.Core.Crypto;

/// <summary>BLAR1 constants and the key schedule shared by writer, reader and re-wrap (ARCHITECTURE.md §4).</summary>
internal static class BlarFormat
{
    public const byte Version = 1;
    public const int MinChunkSize = 4 * 1024;
    public const int MaxChunkSize = 64 * 1024 * 1024;
    public const int DefaultChunkSize = 1024 * 1024;
    public const int SaltLength = 32;
    public const int NoncePrefixLength = 7;
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int KeyLength = 32;
    public const int ChunkLengthFieldLength = 4;

    /// <summary>magic 4 + version 1 + compression 1 + cipher 1 + chunk_size 4 + salt 32 + nonce_pfx 7 + name length 2.</summary>
    public const int FixedBoundLength = 4 + 1 + 1 + 1 + 4 + SaltLength + NoncePrefixLength + 2;

    /// <summary>Wrapped DEK of the local KEK wrap: GCM nonce 12 || ciphertext 32 || tag 16.</summary>
    public const int LocalWrappedDekLength = NonceLength + KeyLength + TagLength;

    public static ReadOnlySpan<byte> Magic => "BLAR"u8;

    private static ReadOnlySpan<byte> FileKeyInfo => "BLAR1 file key"u8;

    private static ReadOnlySpan<byte> SidecarMacInfo => "BLAR1 sidecar mac"u8;

    /// <summary>file key = HKDF-SHA256(ikm = root, salt, info = "BLAR1 file key" || SHA-256(bound part)) — RFC 5869.</summary>
    public static void DeriveFileKey(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> boundPart, Span<byte> fileKey)
    {
        Span<byte> info = stackalloc byte[FileKeyInfo.Length + SHA256.HashSizeInBytes];
        FileKeyInfo.CopyTo(info);
        SHA256.HashData(boundPart, info[FileKeyInfo.Length..]);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, rootKey, fileKey, salt, info);
    }

    /// <summary>Sidecar MAC key = HKDF-SHA256(ikm = root, salt, info = "BLAR1 sidecar mac") (ARCHITECTURE.md §5).</summary>
    /// <summary>
    /// The AES-256-GCM instance for one archive's chunks, keyed by its file key; the derived key
    /// exists only on the stack here and is cleared before returning.
    /// </summary>
    public static AesGcm CreateChunkCipher(ReadOnlySpan<byte> rootKey, BlarHeader header)
    {
        Span<byte> fileKey = stackalloc byte[KeyLength];
        try
        {
            DeriveFileKey(rootKey, header.Salt.Span, header.BoundPart.Span, fileKey);
            return new AesGcm(fileKey, TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    public static void DeriveSidecarMacKey(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> salt, Span<byte> macKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, rootKey, macKey, salt, SidecarMacInfo);

    /// <summary>nonce(i) = nonce_pfx (7) || i as u32 BE (4) || last (1): 96 bits, the GCM-recommended IV length (SP 800-38D §5.2.1.1).</summary>
    public static void BuildNonce(ReadOnlySpan<byte> prefix, uint index, bool last, Span<byte> nonce)
    {
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixLength..], index);
        nonce[NonceLength - 1] = last ? (byte)1 : (byte)0;
    }
}
