using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Write-only stream that seals what is written into a BLAR1 container (ARCHITECTURE.md §4) on
/// <c>inner</c>: the header at construction, then one AES-256-GCM chunk per <c>chunk_size</c> bytes.
/// A full chunk is held back until more data arrives, because only then is it known not to be the
/// last; <see cref="Complete"/> (or Dispose) seals the final chunk with the last flag.
/// </summary>
public sealed class BlarWriter : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly byte[] _root = GC.AllocateUninitializedArray<byte>(BlarFormat.KeyLength, pinned: true);
    private readonly byte[] _nonce = new byte[BlarFormat.NonceLength];
    private readonly int _chunkSize;
    private byte[]? _plain;
    private byte[]? _sealed;
    private int _plainLength;
    private uint _chunkIndex;
    private long _bytesIn;
    private long _bytesOut;
    private bool _completed;
    private bool _faulted;

    public BlarWriter(Stream inner, MasterKey key, BlarWriterOptions options, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.SourceName);
        if (options.ChunkSize is < BlarFormat.MinChunkSize or > BlarFormat.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"chunk size must be {BlarFormat.MinChunkSize}..{BlarFormat.MaxChunkSize}");
        }

        if (!inner.CanWrite)
        {
            throw new ArgumentException("inner stream must be writable", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _chunkSize = options.ChunkSize;

        byte[] wrapped;
        if (options.KeyMode == BlarKeyMode.Envelope)
        {
            RandomNumberGenerator.Fill(_root);
            wrapped = BlarEnvelope.Wrap(key.Bytes, key.Id, _root);
        }
        else
        {
            key.Bytes.CopyTo(_root);
            wrapped = [];
        }

        Header = BlarHeader.Create(options.SourceName, options.Compression, options.ChunkSize, key.Id, wrapped);
        _aes = BlarFormat.CreateChunkCipher(_root, Header);

        _plain = ArrayPool<byte>.Shared.Rent(_chunkSize);

        // One buffer per sealed chunk, len || ciphertext || tag, so each chunk is one write.
        _sealed = ArrayPool<byte>.Shared.Rent(BlarFormat.ChunkLengthFieldLength + _chunkSize + BlarFormat.TagLength);
        var header = Header.Serialize();
        _inner.Write(header);
        _bytesOut = header.Length;
    }

    public BlarWriter(Stream inner, KeyRing keys, BlarWriterOptions options, bool leaveOpen = false)
        : this(inner, (keys ?? throw new ArgumentNullException(nameof(keys))).Current, options, leaveOpen)
    {
    }

    public BlarHeader Header { get; }

    /// <summary>Plaintext bytes accepted so far.</summary>
    public long BytesIn => _bytesIn;

    /// <summary>Container bytes written to the inner stream so far (header included).</summary>
    public long BytesOut => _bytesOut;

    /// <summary>Chunks sealed so far.</summary>
    public long ChunkCount => _chunkIndex;

    public override bool CanWrite => _plain is not null && !_completed;

    /// <summary>
    /// The key for this archive's sidecar MAC. Take it before disposing the writer: the archive's
    /// size and hash, which the MAC covers, are only known once the writer is complete.
    /// </summary>
    public SidecarMacKey CreateSidecarMacKey()
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        return new SidecarMacKey(_root, Header.Salt.Span);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var plain = _plain ?? throw new ObjectDisposedException(nameof(BlarWriter));
        if (_completed)
        {
            throw new InvalidOperationException("the archive is already complete");
        }

        _bytesIn += buffer.Length;
        while (!buffer.IsEmpty)
        {
            if (_plainLength == _chunkSize)
            {
                // More data follows, so the buffered chunk is not the last.
                Seal(plain.AsSpan(0, _chunkSize), last: false);
                _plainLength = 0;
            }

            if (_plainLength == 0 && buffer.Length > _chunkSize)
            {
                // Whole chunks with data after them: seal straight from the caller's buffer.
                Seal(buffer[.._chunkSize], last: false);
                buffer = buffer[_chunkSize..];
                continue;
            }

            var take = Math.Min(buffer.Length, _chunkSize - _plainLength);
            buffer[..take].CopyTo(plain.AsSpan(_plainLength));
            _plainLength += take;
            buffer = buffer[take..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>
    /// Flushes the inner stream only: a partial chunk cannot be emitted early, since every chunk but
    /// the last must be exactly chunk_size.
    /// </summary>
    public override void Flush() => _inner.Flush();

    /// <summary>Seals the final chunk (an empty one for empty input) and flushes; idempotent.</summary>
    public void Complete()
    {
        var plain = _plain ?? throw new ObjectDisposedException(nameof(BlarWriter));
        if (_completed)
        {
            return;
        }

        Seal(plain.AsSpan(0, _plainLength), last: true);
        _plainLength = 0;
        _completed = true;
        _inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain is { } plain)
        {
            try
            {
                // If a chunk write failed the container is abandoned, not sealed: sealing would turn
                // a failed write into a valid-looking shorter archive.
                if (!_completed && !_faulted)
                {
                    Complete();
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain.AsSpan(0, _chunkSize));
                ArrayPool<byte>.Shared.Return(plain);
                ArrayPool<byte>.Shared.Return(_sealed!);
                _plain = null;
                _sealed = null;
                CryptographicOperations.ZeroMemory(_root);
                _aes.Dispose();
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private void Seal(ReadOnlySpan<byte> chunk, bool last)
    {
        if (_chunkIndex == uint.MaxValue && !last)
        {
            // nonce(i) carries i as u32; a 2^32nd chunk would repeat a nonce.
            throw new InvalidOperationException("BLAR1 allows at most 2^32 chunks; use a larger chunk size");
        }

        var output = _sealed!;
        BinaryPrimitives.WriteUInt32BigEndian(output, (uint)chunk.Length);
        BlarFormat.BuildNonce(Header.NoncePrefix.Span, _chunkIndex, last, _nonce);
        _faulted = true;
        _aes.Encrypt(_nonce, chunk, output.AsSpan(BlarFormat.ChunkLengthFieldLength, chunk.Length),
            output.AsSpan(BlarFormat.ChunkLengthFieldLength + chunk.Length, BlarFormat.TagLength));
        var total = BlarFormat.ChunkLengthFieldLength + chunk.Length + BlarFormat.TagLength;
        _inner.Write(output, 0, total);
        _faulted = false;
        _bytesOut += total;
        _chunkIndex++;
    }
}
