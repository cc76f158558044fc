using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Names a master key without revealing it: "blk1-" + the first 16 hex digits of
/// HMAC-SHA256(key, "BLAR1 key id"). A PRF output, so it can neither be inverted nor used to
/// test guesses faster than brute-forcing the 256-bit key itself.
/// </summary>
public static class KeyId
{
    public const string Prefix = "blk1-";

    private static ReadOnlySpan<byte> Label => "BLAR1 key id"u8;

    public static string Compute(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Label, mac);
        return Prefix + Hex.Lower(mac[..8]);
    }

    internal static byte[] ToUtf8(string keyId) => Encoding.UTF8.GetBytes(keyId);
}
