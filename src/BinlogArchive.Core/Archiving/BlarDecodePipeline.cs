using System.Buffers;
using System.Security.Cryptography;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// Verify's decode of a BLAR1 archive as three stages over bounded queues of pooled buffers, so
/// that a 2-core machine keeps both cores busy (done on one thread, the stages add up: zstd and
/// libcrypto were each about a third of verify's time):
/// <list type="number">
/// <item>decrypt (own thread): reads the archive through the caller's archive-hash stream and
/// authenticates each chunk into a pooled buffer (<see cref="BlarReader.ReadChunk"/>);</item>
/// <item>decompress (own thread): one zstd stream over those chunks, into pooled 1 MiB buffers;</item>
/// <item>hash (the caller's thread): SHA-256 and size of the plaintext.</item>
/// </list>
/// Errors keep their sequential order and type: a stage's exception is queued after the buffers it
/// produced, the next stage meets it where a sequential read would have (zstd sees every byte before
/// it), and the caller's thread rethrows that same exception — never an AggregateException. A stage
/// that stops (error or cancellation) abandons its input queue, which stops the stage before it;
/// every thread is joined before this returns, so nothing still touches the reader afterwards.
/// </summary>
internal static class BlarDecodePipeline
{
    private const int PlainBufferSize = 1 << 20;
    private const int PlainQueueDepth = 2;

    // Queued decrypted chunks: two with the default 1 MiB chunk, one at the 64 MiB maximum. Depth 2
    // measured as fast as 4 (the zstd stage is the slowest) and 5 MiB smaller in RSS.
    private const int ChunkQueueBytes = 2 << 20;

    /// <summary>
    /// Decodes every chunk of <paramref name="blar"/> (whose inner stream is the archive hash) to
    /// the end, and returns the plaintext's SHA-256 (lowercase hex) and size.
    /// </summary>
    public static (string Sha256, long Size) DecodeAndHash(BlarReader blar, CancellationToken cancellationToken)
    {
        var chunkSize = blar.Header.ChunkSize;
        var chunks = new BufferQueue(Math.Clamp(ChunkQueueBytes / chunkSize, 1, 2));
        var plain = new BufferQueue(PlainQueueDepth);
        var decrypt = Start("blar-verify-decrypt", () => Decrypt(blar, chunkSize, chunks));
        var decompress = Start("blar-verify-zstd", () => Decompress(chunks, plain));
        try
        {
            return Hash(plain, cancellationToken);
        }
        finally
        {
            // A no-op after a clean end; after an error or cancellation it stops the stages upstream.
            plain.Abandon(ReturnPlain);
            decompress.Join();
            decrypt.Join();
        }
    }

    private static Thread Start(string name, Action stage)
    {
        var thread = new Thread(() => stage()) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private static void Decrypt(BlarReader blar, int chunkSize, BufferQueue output)
    {
        try
        {
            while (!blar.IsComplete)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
                int length;
                try
                {
                    length = blar.ReadChunk(buffer);
                }
                catch
                {
                    ReturnChunk(buffer);
                    throw;
                }

                if (length == 0)
                {
                    // The empty final chunk of an empty source (or a degenerate archive): nothing to pass on.
                    ReturnChunk(buffer);
                    continue;
                }

                try
                {
                    output.Add(buffer, length);
                }
                catch (OperationCanceledException)
                {
                    ReturnChunk(buffer);
                    throw;
                }
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
        }
    }

    private static void Decompress(BufferQueue input, BufferQueue output)
    {
        try
        {
            using var source = new QueueReadStream(input);
            using var zstd = new ZstdDecompressStream(source, leaveOpen: true, verifyFrameChecksum: false);
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(PlainBufferSize);
                int length;
                try
                {
                    length = zstd.ReadAtLeast(buffer.AsSpan(0, PlainBufferSize), PlainBufferSize, throwOnEndOfStream: false);
                    if (length > 0)
                    {
                        output.Add(buffer, length);
                    }
                }
                catch
                {
                    ReturnPlain(buffer);
                    throw;
                }

                if (length < PlainBufferSize)
                {
                    if (length == 0)
                    {
                        ReturnPlain(buffer);
                    }

                    break;
                }
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
        }
        finally
        {
            input.Abandon(ReturnChunk);
        }
    }

    private static (string Sha256, long Size) Hash(BufferQueue input, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        while (input.TryTake(out var buffer, out var length))
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, length);
                total += length;
            }
            finally
            {
                ReturnPlain(buffer);
            }
        }

        return (Hex.Lower(hash.GetHashAndReset()), total);
    }

    private static void ReturnPlain(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    // Decrypted chunks are zeroed like BlarReader's own buffer before going back to the shared pool.
    private static void ReturnChunk(byte[] buffer)
    {
        CryptographicOperations.ZeroMemory(buffer);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>The decrypted chunks as one read-only stream for <see cref="ZstdDecompressStream"/>.</summary>
    private sealed class QueueReadStream(BufferQueue queue) : ReadOnlyStream
    {
        private byte[]? _current;
        private int _position;
        private int _length;
        private bool _ended;

        public override bool CanRead => true;

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            while (_current is null || _position == _length)
            {
                Release();
                if (_ended || !queue.TryTake(out var next, out _length))
                {
                    // TryTake rethrows the decrypt stage's error here, where a sequential read would have.
                    _ended = true;
                    return 0;
                }

                _current = next;
                _position = 0;
            }

            var n = Math.Min(buffer.Length, _length - _position);
            _current.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
            }

            base.Dispose(disposing);
        }

        private void Release()
        {
            if (_current is { } current)
            {
                _current = null;
                ReturnChunk(current);
            }
        }
    }
}
