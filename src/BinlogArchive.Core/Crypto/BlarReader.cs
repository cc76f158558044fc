using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Read-only stream over a BLAR1 archive: parses and validates the header, finds the key by id,
/// then decrypts and authenticates chunk by chunk. Nothing unauthenticated is ever returned.
/// Reordered, edited, truncated or extended archives fail with distinct <see cref="BlarFormatException"/> ids.
/// </summary>
public sealed class BlarReader : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly string? _target;
    private readonly AesGcm _aes;
    private readonly byte[] _root = GC.AllocateUninitializedArray<byte>(BlarFormat.KeyLength, pinned: true);
    private readonly byte[] _nonce = new byte[BlarFormat.NonceLength];
    private readonly byte[] _tag = new byte[BlarFormat.TagLength];
    private readonly byte[] _nextLength = new byte[BlarFormat.ChunkLengthFieldLength];
    private byte[]? _cipher;
    private byte[]? _plain;
    private int _plainPos;
    private int _plainLength;
    private uint _chunkIndex;
    private bool _haveNextLength;
    private bool _finished;
    private long _bytesOut;

    public BlarReader(Stream inner, KeyRing keys, bool leaveOpen = false, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keys);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _target = target ?? (inner as FileStream)?.Name;
        Header = BlarHeader.ReadFrom(inner, _target);
        Header.ResolveRootKey(keys, _root, _target);
        _aes = BlarFormat.CreateChunkCipher(_root, Header);

        _cipher = ArrayPool<byte>.Shared.Rent(Header.ChunkSize);
        _plain = ArrayPool<byte>.Shared.Rent(Header.ChunkSize);
    }

    public BlarReader(Stream inner, MasterKey key, bool leaveOpen = false, string? target = null)
        : this(inner, new KeyRing(key), leaveOpen, target)
    {
    }

    public BlarHeader Header { get; }

    /// <summary>Chunks decrypted and authenticated so far.</summary>
    public long ChunksVerified => _chunkIndex;

    /// <summary>Plaintext bytes returned so far.</summary>
    public long BytesOut => _bytesOut;

    /// <summary>True once the last chunk was authenticated and the end of the archive confirmed.</summary>
    public bool IsComplete => _finished;

    public override bool CanRead => _plain is not null;

    /// <summary>The key for this archive's sidecar MAC (the root key itself stays inside).</summary>
    public SidecarMacKey CreateSidecarMacKey()
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        return new SidecarMacKey(_root, Header.Salt.Span);
    }

    /// <summary>Authenticates every remaining chunk, discarding the plaintext.</summary>
    public void VerifyToEnd()
    {
        while (!_finished)
        {
            _plainPos = _plainLength;
            _plainLength = OpenNextChunk(_plain);
            _plainPos = 0;
        }
    }

    /// <summary>
    /// Chunk-level read for a pipeline: decrypts and authenticates the next chunk straight into
    /// <paramref name="destination"/> (at least <see cref="BlarHeader.ChunkSize"/> bytes), saving the
    /// copy through the internal buffer, and returns its length — 0 for an empty final chunk, so
    /// loop on <see cref="IsComplete"/>, not on the length. Bytes a <see cref="Read(Span{byte})"/>
    /// left buffered are returned first. Errors are those of <see cref="Read(Span{byte})"/>.
    /// </summary>
    public int ReadChunk(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        if (destination.Length < Header.ChunkSize)
        {
            throw new ArgumentException($"the destination must hold a whole chunk ({Header.ChunkSize} bytes)", nameof(destination));
        }

        int n;
        if (_plainPos < _plainLength)
        {
            n = _plainLength - _plainPos;
            _plain.AsSpan(_plainPos, n).CopyTo(destination);
            _plainPos = _plainLength;
        }
        else
        {
            n = _finished ? 0 : OpenNextChunk(destination);
        }

        _bytesOut += n;
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        var plain = _plain ?? throw new ObjectDisposedException(nameof(BlarReader));
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_plainPos == _plainLength)
        {
            if (_finished)
            {
                return 0;
            }

            // Position set after the read: a failed chunk leaves nothing stale to return.
            _plainLength = OpenNextChunk(plain);
            _plainPos = 0;
        }

        var n = Math.Min(buffer.Length, _plainLength - _plainPos);
        plain.AsSpan(_plainPos, n).CopyTo(buffer);
        _plainPos += n;
        _bytesOut += n;
        return n;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain is { } plain)
        {
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, Header.ChunkSize));
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(_cipher!);
            _plain = null;
            _cipher = null;
            CryptographicOperations.ZeroMemory(_root);
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Reads chunk i into <paramref name="plainBuffer"/>, returning its length, and the next chunk's
    /// length field (or EOF). Which of nonce(i, last=0/1) must authenticate follows from the
    /// lookahead: EOF ⇒ last; a short chunk ⇒ last; a full chunk with more after it ⇒ not last. The other flag is tried only to name the failure precisely.
    /// </summary>
    private int OpenNextChunk(Span<byte> plainBuffer)
    {
        var index = _chunkIndex;
        Span<byte> lengthField = stackalloc byte[BlarFormat.ChunkLengthFieldLength];
        if (_haveNextLength)
        {
            _nextLength.CopyTo(lengthField);
        }
        else
        {
            var got = _inner.ReadAtLeast(lengthField, lengthField.Length, throwOnEndOfStream: false);
            if (got < lengthField.Length)
            {
                throw BlarFormatException.TruncatedAt(_target,
                    got == 0 ? $"it ends before chunk {index} and no final chunk was seen" : $"it ends inside the length of chunk {index}", index);
            }
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(lengthField);
        if (length > (uint)Header.ChunkSize)
        {
            throw BlarFormatException.Tampered(_target, index, $"its length field says {length} bytes, more than the chunk size {Header.ChunkSize}");
        }

        var cipher = _cipher.AsSpan(0, (int)length);
        if (_inner.ReadAtLeast(cipher, cipher.Length, throwOnEndOfStream: false) < cipher.Length
            || _inner.ReadAtLeast(_tag, _tag.Length, throwOnEndOfStream: false) < _tag.Length)
        {
            throw BlarFormatException.TruncatedAt(_target, $"it ends inside chunk {index}", index);
        }

        var lookahead = _inner.ReadAtLeast(_nextLength, _nextLength.Length, throwOnEndOfStream: false);
        _haveNextLength = lookahead == _nextLength.Length;
        var atEnd = lookahead == 0;
        var mustBeLast = atEnd || length < (uint)Header.ChunkSize;

        var plain = plainBuffer[..(int)length];
        if (TryOpen(index, mustBeLast, cipher, plain))
        {
            if (mustBeLast && !atEnd)
            {
                throw TrailingAfter(index);
            }

            if (!mustBeLast && !_haveNextLength)
            {
                throw BlarFormatException.TruncatedAt(_target, $"it ends inside the length of chunk {index + 1}", index + 1);
            }

            _chunkIndex = index + 1;
            _finished = mustBeLast;
            return (int)length;
        }

        if (TryOpen(index, !mustBeLast, cipher, plain))
        {
            // Authentic, but with the other flag: either the archive stops after a non-final chunk
            // (truncated at a chunk boundary) or data follows the final chunk (extended).
            CryptographicOperations.ZeroMemory(plain);
            throw atEnd
                ? BlarFormatException.TruncatedAt(_target, $"it ends after chunk {index}, which is not the final chunk", index + 1)
                : TrailingAfter(index);
        }

        throw BlarFormatException.Tampered(_target, index, index == 0
            ? "the archive header's bound part or chunk 0 was modified (the key matches the header's key id)"
            : "the chunk was modified, reordered or spliced from another archive");
    }

    private bool TryOpen(uint index, bool last, ReadOnlySpan<byte> cipher, Span<byte> plain)
    {
        BlarFormat.BuildNonce(Header.NoncePrefix.Span, index, last, _nonce);
        try
        {
            _aes.Decrypt(_nonce, cipher, _tag, plain);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private BlarFormatException TrailingAfter(uint index) =>
        new(BlarFormatException.TrailingData, ErrorKind.InvalidData,
            $"data follows the final chunk ({index})", _target,
            "The archive was extended or concatenated after it was written; restore it from another copy.", index + 1);
}
