using System.Security.Cryptography;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Write-only stream producing exactly what <c>openssl enc -aes-256-cbc -salt -pbkdf2 -iter N
/// -pass file:KEY</c> produces, for sites whose restore tooling is the openssl CLI. CBC is not
/// authenticated: pair it with <see cref="LegacyFileMac"/> in the sidecar.
/// </summary>
public sealed class OpenSslCbcWriter : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private CryptoStream? _crypto;

    /// <param name="passphrase">What openssl reads from -pass (see <see cref="KeyFile.ReadOpenSslPassphrase"/>).</param>
    public OpenSslCbcWriter(Stream inner, ReadOnlySpan<byte> passphrase, int iterations = OpenSslCbc.DefaultIterations, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[OpenSslCbc.HeaderLength];
        OpenSslCbc.Magic.CopyTo(header);
        RandomNumberGenerator.Fill(header[OpenSslCbc.Magic.Length..]);
        Salt = header[OpenSslCbc.Magic.Length..].ToArray();
        var transform = OpenSslCbc.CreateTransform(passphrase, Salt, iterations, encrypt: true);
        inner.Write(header);
        _crypto = new CryptoStream(inner, transform, CryptoStreamMode.Write, leaveOpen: true);
    }

    /// <summary>The 8-byte PBKDF2 salt written after "Salted__".</summary>
    public byte[] Salt { get; }

    public override bool CanWrite => _crypto is not null;

    public override void Write(ReadOnlySpan<byte> buffer) =>
        (_crypto ?? throw new ObjectDisposedException(nameof(OpenSslCbcWriter))).Write(buffer);

    public override void Flush() => _inner.Flush();

    /// <summary>Writes the final padded block; idempotent.</summary>
    public void Complete()
    {
        var crypto = _crypto ?? throw new ObjectDisposedException(nameof(OpenSslCbcWriter));
        if (!crypto.HasFlushedFinalBlock)
        {
            crypto.FlushFinalBlock();
        }

        _inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _crypto is { } crypto)
        {
            try
            {
                Complete();
            }
            finally
            {
                crypto.Dispose();
                _crypto = null;
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }
}
