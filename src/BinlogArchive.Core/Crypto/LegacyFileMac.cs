using System.Security.Cryptography;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// HMAC-SHA256 over a whole legacy (openssl CBC) archive file, keyed by HKDF-SHA256(ikm = master
/// key, info = "BLAR legacy hmac") (RFC 5869, no salt). Kept in the sidecar because CBC has no
/// authentication of its own; verify it before decrypting.
/// </summary>
public static class LegacyFileMac
{
    private static ReadOnlySpan<byte> Info => "BLAR legacy hmac"u8;

    /// <summary>An incremental HMAC to feed the archive bytes as they are written (e.g. via <see cref="HashingStream"/>).</summary>
    public static IncrementalHash CreateHmac(MasterKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> macKey = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes, macKey, ReadOnlySpan<byte>.Empty, Info);
            return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    public static string Compute(MasterKey key, Stream archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var hmac = CreateHmac(key);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = archive.Read(buffer, 0, buffer.Length)) > 0)
        {
            hmac.AppendData(buffer, 0, read);
        }

        return Hex.Lower(hmac.GetHashAndReset());
    }

    public static bool Verify(MasterKey key, Stream archive, string? macHex) => SidecarMac.Matches(Compute(key, archive), macHex);
}
