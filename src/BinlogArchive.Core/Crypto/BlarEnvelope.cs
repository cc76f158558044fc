using System.Security.Cryptography;
using System.Text;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The DEK wrap of envelope mode: AES-256-GCM under the KEK with the key id as associated data,
/// stored as nonce (12) || ciphertext (32) || tag (16). Binding the key id means an envelope cannot
/// be relabelled to another key without failing authentication.
/// </summary>
internal static class BlarEnvelope
{
    public static byte[] Wrap(ReadOnlySpan<byte> kek, string keyId, ReadOnlySpan<byte> dek)
    {
        var wrapped = new byte[BlarFormat.LocalWrappedDekLength];
        var nonce = wrapped.AsSpan(0, BlarFormat.NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(kek, BlarFormat.TagLength);
        aes.Encrypt(nonce, dek, wrapped.AsSpan(BlarFormat.NonceLength, BlarFormat.KeyLength),
            wrapped.AsSpan(BlarFormat.NonceLength + BlarFormat.KeyLength), Encoding.UTF8.GetBytes(keyId));
        return wrapped;
    }

    public static bool TryUnwrap(ReadOnlySpan<byte> kek, string keyId, ReadOnlySpan<byte> wrapped, Span<byte> dek)
    {
        if (wrapped.Length != BlarFormat.LocalWrappedDekLength)
        {
            return false;
        }

        using var aes = new AesGcm(kek, BlarFormat.TagLength);
        try
        {
            aes.Decrypt(wrapped[..BlarFormat.NonceLength], wrapped.Slice(BlarFormat.NonceLength, BlarFormat.KeyLength),
                wrapped[(BlarFormat.NonceLength + BlarFormat.KeyLength)..], dek[..BlarFormat.KeyLength], Encoding.UTF8.GetBytes(keyId));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(dek);
            return false;
        }
    }
}
