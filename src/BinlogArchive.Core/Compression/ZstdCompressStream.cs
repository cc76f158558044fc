using System.Buffers;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Compression;

/// <summary>
/// Write-only stream producing one zstd frame (RFC 8878) on <c>inner</c>. Parameters match what the
/// zstd CLI sets for <c>zstd -L -T0</c> on a regular file: level, nbWorkers, content checksum
/// (so <c>zstd -t</c> validates) and, when known, the pledged source size in the frame header.
/// </summary>
public sealed unsafe class ZstdCompressStream : WriteOnlyStream
{
    public const int DefaultLevel = 19;
    public const int MinLevel = 1;
    public const int MaxLevel = 22;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdLibrary _lib;
    private readonly ZstdCompressionContextHandle _ctx;
    private byte[]? _out;
    private bool _finished;
    private bool _faulted;
    private long _bytesIn;

    /// <param name="inner">Receives the compressed frame.</param>
    /// <param name="level">1..22; 19 by default (archives are written once and kept long).</param>
    /// <param name="workers">ZSTD_c_nbWorkers; null = <see cref="Environment.ProcessorCount"/>, 0 = compress on the caller's thread.</param>
    /// <param name="pledgedSize">Exact uncompressed size if known; recorded in the frame header and enforced by libzstd.</param>
    public ZstdCompressStream(Stream inner, int level = DefaultLevel, int? workers = null, long? pledgedSize = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, MinLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        if (workers is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(workers));
        }

        if (!inner.CanWrite)
        {
            throw new ArgumentException("inner stream must be writable", nameof(inner));
        }

        _lib = ZstdLibrary.Instance;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _ctx = new ZstdCompressionContextHandle();
        try
        {
            var ctx = _ctx.DangerousGetHandle();
            Level = level;
            _lib.Check(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.CompressionLevel, level), "set compression level");
            _lib.Check(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.ChecksumFlag, 1), "set checksum flag");
            _lib.Check(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.ContentSizeFlag, 1), "set content size flag");
            var wanted = workers ?? Environment.ProcessorCount;

            // A libzstd built without ZSTD_MULTITHREAD rejects nbWorkers > 0; compress inline then.
            Workers = _lib.IsError(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.NbWorkers, wanted)) == 0 ? wanted : 0;
            if (Workers > 0)
            {
                ShapeJobs(ctx, level, pledgedSize);
            }

            if (pledgedSize is { } size)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(pledgedSize));
                _lib.Check(_lib.CCtxSetPledgedSrcSize(ctx, (ulong)size), "set pledged size");
            }

            // Larger than ZSTD_CStreamOutSize (one block) so multi-threaded jobs drain in fewer writes.
            _out = ArrayPool<byte>.Shared.Rent(Math.Max((int)_lib.CStreamOutSize(), 1 << 20));
        }
        catch
        {
            _ctx.Dispose();
            throw;
        }
    }

    public int Level { get; }

    /// <summary>
    /// zstd cuts multi-threaded input into jobs of 4 windows and holds several jobs' input and
    /// output at once (~35 MiB at level 3, ~60 MiB at level 19 on two workers). At the fast
    /// strategies (fast..lazy) a job re-reads an eighth of a window from its predecessor, so
    /// one-window jobs cost about the same CPU and compress binlogs no worse. The slower
    /// strategies re-read up to a whole window per job; two-window jobs re-reading a quarter
    /// (zstd's own choice for lazy2) keep the work per byte and cost ~0.1% in size. Measured in
    /// bench/README.md.
    /// </summary>
    private void ShapeJobs(nint ctx, int level, long? pledgedSize)
    {
        const int LazyStrategy = 4;
        const int QuarterWindowOverlap = 7;
        const int MinimumJob = 1 << 20;
        if (_lib.GetCParams is null)
        {
            return;
        }

        var cParams = _lib.GetCParams(level, pledgedSize is > 0 ? (ulong)pledgedSize.Value : 0, 0);
        if (cParams.Strategy <= 0 || cParams.WindowLog is 0 or >= 29)
        {
            return;
        }

        var fast = cParams.Strategy <= LazyStrategy;
        var windows = fast ? 1 : 2;
        _lib.Check(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.JobSize, Math.Max(MinimumJob, windows << (int)cParams.WindowLog)), "set job size");
        if (!fast)
        {
            _lib.Check(_lib.CCtxSetParameter(ctx, (int)ZstdCParameter.OverlapLog, QuarterWindowOverlap), "set overlap");
        }
    }

    /// <summary>Effective ZSTD_c_nbWorkers (0 if the library lacks multi-threading).</summary>
    public int Workers { get; }

    /// <summary>Uncompressed bytes written so far.</summary>
    public long BytesIn => _bytesIn;

    public override bool CanWrite => _out is not null;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var output = _out ?? throw new ObjectDisposedException(nameof(ZstdCompressStream));
        if (_finished)
        {
            throw new InvalidOperationException("the zstd frame is already finished");
        }

        if (buffer.IsEmpty)
        {
            return;
        }

        _faulted = true;
        fixed (byte* src = buffer)
        fixed (byte* dst = output)
        {
            var input = new ZstdInBuffer { Src = src, Size = (nuint)buffer.Length, Pos = 0 };
            while (input.Pos < input.Size)
            {
                var outBuf = new ZstdOutBuffer { Dst = dst, Size = (nuint)output.Length, Pos = 0 };
                _lib.Check(_lib.CompressStream2(_ctx.DangerousGetHandle(), &outBuf, &input, (int)ZstdEndDirective.Continue), "compress");
                if (outBuf.Pos > 0)
                {
                    _inner.Write(output, 0, (int)outBuf.Pos);
                }
            }
        }

        _bytesIn += buffer.Length;
        _faulted = false;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Reads a parameter back from the context (ZSTD_CCtx_getParameter), to prove what was applied.</summary>
    internal int GetParameter(ZstdCParameter parameter)
    {
        ObjectDisposedException.ThrowIf(_out is null, this);
        int value;
        _lib.Check(_lib.CCtxGetParameter(_ctx.DangerousGetHandle(), (int)parameter, &value), "get parameter");
        return value;
    }

    /// <summary>Flushes nothing mid-frame (a zstd flush would cost ratio); flushes the inner stream.</summary>
    public override void Flush() => _inner.Flush();

    /// <summary>Ends the frame (ZSTD_e_end until libzstd reports 0 bytes left); idempotent.</summary>
    public void Finish()
    {
        var output = _out ?? throw new ObjectDisposedException(nameof(ZstdCompressStream));
        if (_finished)
        {
            return;
        }

        _faulted = true;
        fixed (byte* dst = output)
        {
            var input = new ZstdInBuffer { Src = null, Size = 0, Pos = 0 };
            nuint remaining;
            do
            {
                var outBuf = new ZstdOutBuffer { Dst = dst, Size = (nuint)output.Length, Pos = 0 };
                remaining = _lib.CompressStream2(_ctx.DangerousGetHandle(), &outBuf, &input, (int)ZstdEndDirective.End);
                _lib.Check(remaining, "end frame");
                if (outBuf.Pos > 0)
                {
                    _inner.Write(output, 0, (int)outBuf.Pos);
                }
            }
            while (remaining != 0);
        }

        _finished = true;
        _faulted = false;
        _inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _out is { } output)
        {
            try
            {
                // After a failed write the frame is abandoned rather than sealed, so a half-written
                // input never turns into a valid-looking (shorter) frame.
                if (!_finished && !_faulted)
                {
                    Finish();
                }
            }
            finally
            {
                _out = null;
                ArrayPool<byte>.Shared.Return(output);
                _ctx.Dispose();
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }
}
