using System.Security.Cryptography;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Read-only stream decrypting <c>openssl enc -aes-256-cbc -salt -pbkdf2 -iter N</c> output.
/// A wrong passphrase usually shows as bad padding at the end, but CBC cannot prove integrity:
/// check the sidecar's <see cref="LegacyFileMac"/> before trusting the plaintext.
/// </summary>
public sealed class OpenSslCbcReader : ReadOnlyStream
{
    public const string BadHeaderId = "OpenSslBadHeader";
    public const string DecryptFailedId = "OpenSslDecryptFailed";

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly string? _target;
    private CryptoStream? _crypto;

    public OpenSslCbcReader(Stream inner, ReadOnlySpan<byte> passphrase, int iterations = OpenSslCbc.DefaultIterations, bool leaveOpen = false, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _target = target ?? (inner as FileStream)?.Name;
        Span<byte> header = stackalloc byte[OpenSslCbc.HeaderLength];
        var got = inner.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length || !header.StartsWith(OpenSslCbc.Magic))
        {
            throw new BinlogArchiveException(BadHeaderId, ErrorKind.InvalidData,
                $"{_target ?? "input"}: not an openssl enc -salt file (no \"Salted__\" header)", _target,
                "Check the file format; openssl archives must be written with -salt.");
        }

        Salt = header[OpenSslCbc.Magic.Length..].ToArray();
        _crypto = new CryptoStream(inner, OpenSslCbc.CreateTransform(passphrase, Salt, iterations, encrypt: false), CryptoStreamMode.Read, leaveOpen: true);
    }

    public byte[] Salt { get; }

    public override bool CanRead => _crypto is not null;

    public override int Read(Span<byte> buffer)
    {
        var crypto = _crypto ?? throw new ObjectDisposedException(nameof(OpenSslCbcReader));
        try
        {
            return crypto.Read(buffer);
        }
        catch (CryptographicException e)
        {
            throw new BinlogArchiveException(DecryptFailedId, ErrorKind.SecurityError,
                $"{_target ?? "input"}: openssl CBC decryption failed (wrong key, wrong iteration count, truncated or corrupted file)", _target,
                "Check the key file and -iter; then compare the file's HMAC with its sidecar.", e);
        }
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _crypto is { } crypto)
        {
            _crypto = null;
            try
            {
                crypto.Dispose();
            }
            catch (CryptographicException)
            {
                // Disposing before the end discards the undecrypted tail; nothing to report.
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
