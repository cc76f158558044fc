using System.Buffers;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Compression;

/// <summary>
/// Read-only stream decoding one or more concatenated zstd frames (RFC 8878 §3.1; skippable frames
/// are skipped by libzstd). Input that ends inside a frame, or holds no frame at all, is an error:
/// a truncated archive must never read as a shorter valid one.
/// </summary>
public sealed unsafe class ZstdDecompressStream : ReadOnlyStream
{
    // ZSTD_d_forceIgnoreChecksum = ZSTD_d_experimentalParam3 (zstd.h 1.4.7+), value ZSTD_d_ignoreChecksum = 1.
    private const int ForceIgnoreChecksumParameter = 1002;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdLibrary _lib;
    private readonly ZstdDecompressionContextHandle _ctx;
    private byte[]? _in;
    private int _inPos;
    private int _inLength;
    private bool _innerEof;
    private bool _inFrame;
    private bool _sawInput;
    private long _bytesOut;

    public ZstdDecompressStream(Stream inner, bool leaveOpen = false)
        : this(inner, leaveOpen, verifyFrameChecksum: true)
    {
    }

    /// <param name="verifyFrameChecksum">
    /// false skips the frames' XXH64 content checksums, for callers that authenticate the input and
    /// hash the whole output themselves (BLAR1 verify: AES-GCM plus the sidecar's SHA-256), where the
    /// checksum adds cost but no detection. Best effort: a libzstd without the experimental
    /// parameter keeps checking. Restore and unauthenticated formats keep the default.
    /// </param>
    internal ZstdDecompressStream(Stream inner, bool leaveOpen, bool verifyFrameChecksum)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
        {
            throw new ArgumentException("inner stream must be readable", nameof(inner));
        }

        _lib = ZstdLibrary.Instance;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _ctx = new ZstdDecompressionContextHandle();
        if (!verifyFrameChecksum)
        {
            // The result is ignored on purpose: an older or stricter libzstd rejects experimental
            // parameters, and then the checksum is simply verified as before.
            _ = _lib.DCtxSetParameter(_ctx.DangerousGetHandle(), ForceIgnoreChecksumParameter, 1);
        }

        _in = ArrayPool<byte>.Shared.Rent(Math.Max((int)_lib.DStreamInSize(), 256 * 1024));
    }

    /// <summary>Decompressed bytes returned so far.</summary>
    public long BytesOut => _bytesOut;

    public override bool CanRead => _in is not null;

    public override int Read(Span<byte> buffer)
    {
        var input = _in ?? throw new ObjectDisposedException(nameof(ZstdDecompressStream));
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_inPos == _inLength && !_innerEof)
            {
                _inLength = _inner.Read(input, 0, input.Length);
                _inPos = 0;
                _innerEof = _inLength == 0;
                _sawInput |= _inLength > 0;
            }

            if (_inPos == _inLength && _innerEof && !_inFrame)
            {
                if (!_sawInput)
                {
                    throw Incomplete("the input is empty (no zstd frame)");
                }

                return 0;
            }

            nuint hint;
            int produced;
            fixed (byte* src = input)
            fixed (byte* dst = buffer)
            {
                var inBuf = new ZstdInBuffer { Src = src, Size = (nuint)_inLength, Pos = (nuint)_inPos };
                var outBuf = new ZstdOutBuffer { Dst = dst, Size = (nuint)buffer.Length, Pos = 0 };
                hint = _lib.DecompressStream(_ctx.DangerousGetHandle(), &outBuf, &inBuf);
                _lib.Check(hint, "decompress");
                _inPos = (int)inBuf.Pos;
                produced = (int)outBuf.Pos;
            }

            // ZSTD_decompressStream returns 0 exactly when a frame is fully decoded and flushed.
            _inFrame = hint != 0;
            if (produced > 0)
            {
                _bytesOut += produced;
                return produced;
            }

            if (_inPos == _inLength && _innerEof && _inFrame)
            {
                throw Incomplete("the input ended before the end of the frame");
            }
        }
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _in is { } input)
        {
            _in = null;
            ArrayPool<byte>.Shared.Return(input);
            _ctx.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private static ZstdException Incomplete(string detail) =>
        new(ZstdException.StreamIncompleteId, ErrorKind.InvalidData, $"zstd stream incomplete: {detail}",
            "The compressed data is truncated; fetch the archive again or restore it from another copy.");
}
