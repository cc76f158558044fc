using System.Security.Cryptography;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The layout of <c>openssl enc -aes-256-cbc -salt -pbkdf2 -iter N</c> (OpenSSL 1.1.1+):
/// "Salted__" || salt (8) || AES-256-CBC(PKCS#7). key (32) || iv (16) = PBKDF2-HMAC-SHA256(pass,
/// salt, N, 48) (RFC 8018 §5.2; SHA-256 is openssl enc's default -md since 1.1.0).
/// </summary>
internal static class OpenSslCbc
{
    public const int DefaultIterations = 100_000;
    public const int SaltLength = 8;
    public const int HeaderLength = 16;

    public static ReadOnlySpan<byte> Magic => "Salted__"u8;

    public static ICryptoTransform CreateTransform(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, int iterations, bool encrypt)
    {
        Span<byte> keyIv = stackalloc byte[48];
        var key = new byte[32];
        var iv = new byte[16];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, keyIv, iterations, HashAlgorithmName.SHA256);
            keyIv[..32].CopyTo(key);
            keyIv[32..].CopyTo(iv);
            using var aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            return encrypt ? aes.CreateEncryptor(key, iv) : aes.CreateDecryptor(key, iv);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyIv);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(iv);
        }
    }
}
