using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The sidecar MAC of ARCHITECTURE.md §5: HMAC-SHA256 keyed by HKDF-SHA256(ikm = root key,
/// salt = header salt, info = "BLAR1 sidecar mac") over "BLAR1-sidecar-v1\n" followed by each of
/// the <see cref="FieldCount"/> restore-relevant values and "\n" (null = empty line). Lowercase hex.
/// </summary>
public static class SidecarMac
{
    public const string Preamble = "BLAR1-sidecar-v1";

    /// <summary>source.file … archive.encryption.key_id, in the §5 order.</summary>
    public const int FieldCount = 16;

    /// <summary>Computes the MAC from a root key (master key in direct mode, DEK in envelope mode).</summary>
    public static string Compute(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> salt, IReadOnlyList<string?> values)
    {
        Span<byte> macKey = stackalloc byte[BlarFormat.KeyLength];
        try
        {
            BlarFormat.DeriveSidecarMacKey(rootKey, salt, macKey);
            return ComputeWithMacKey(macKey, values);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    /// <summary>Constant-time comparison against a hex MAC from a sidecar.</summary>
    public static bool Verify(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> salt, IReadOnlyList<string?> values, string? macHex) =>
        Matches(Compute(rootKey, salt, values), macHex);

    internal static string ComputeWithMacKey(ReadOnlySpan<byte> macKey, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != FieldCount)
        {
            throw new ArgumentException($"the sidecar MAC covers exactly {FieldCount} values, not {values.Count}", nameof(values));
        }

        var text = new StringBuilder(Preamble).Append('\n');
        foreach (var value in values)
        {
            text.Append(value).Append('\n');
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(macKey, Encoding.UTF8.GetBytes(text.ToString()), mac);
        return Hex.Lower(mac);
    }

    internal static bool Matches(string expectedHex, string? actualHex)
    {
        if (actualHex is null || actualHex.Length != expectedHex.Length)
        {
            return false;
        }

        // Compare the ASCII texts, case-folded, without data-dependent branches.
        Span<byte> expected = stackalloc byte[expectedHex.Length];
        Span<byte> actual = stackalloc byte[actualHex.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)expectedHex[i];
            actual[i] = (byte)(actualHex[i] | 0x20);
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
