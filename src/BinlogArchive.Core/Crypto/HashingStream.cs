using System.Security.Cryptography;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Pass-through stream feeding every byte read from or written to <c>inner</c> into an
/// <see cref="IncrementalHash"/> (SHA-256, or an HMAC), so a pipeline hashes plaintext and
/// ciphertext in the same single pass that processes them.
/// </summary>
public sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash;
    private readonly bool _leaveOpen;
    private readonly bool _ownsHash;
    private byte[]? _result;
    private bool _disposed;

    public HashingStream(Stream inner, IncrementalHash hash, bool leaveOpen = false, bool ownsHash = true)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _hash = hash ?? throw new ArgumentNullException(nameof(hash));
        _leaveOpen = leaveOpen;
        _ownsHash = ownsHash;
    }

    /// <summary>A SHA-256 hashing stream.</summary>
    public static HashingStream Sha256(Stream inner, bool leaveOpen = false) =>
        new(inner, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), leaveOpen);

    /// <summary>Bytes that passed through (and were hashed).</summary>
    public long BytesHashed { get; private set; }

    public override bool CanRead => !_disposed && _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed && _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The digest of everything passed so far; fixed at the first call (further bytes are refused).</summary>
    public byte[] GetHash() => (byte[])(_result ??= _hash.GetHashAndReset()).Clone();

    public string GetHashHex() => Hex.Lower(GetHash());

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ThrowIfFinal();
        var n = _inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        BytesHashed += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFinal();
        _inner.Write(buffer);
        _hash.AppendData(buffer);
        BytesHashed += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_ownsHash)
            {
                // Keep the digest readable after dispose: callers read it once the stack has unwound.
                _result ??= _hash.GetHashAndReset();
                _hash.Dispose();
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void ThrowIfFinal()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_result is not null)
        {
            throw new InvalidOperationException("the hash was already taken");
        }
    }
}
