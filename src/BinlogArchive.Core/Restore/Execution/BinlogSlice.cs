using System.Buffers;
using System.Buffers.Binary;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// Streams the plaintext of a verified archive, optionally cut to what mysqlbinlog
/// <c>--start-position=S --stop-position=E</c> would read: the magic and the format description
/// event (which every later event needs to be decoded), then the events from S, and nothing from E
/// on. The planner gives S and E on event boundaries, so the cut is exact. Doing the cut here lets
/// the replay feed mysqlbinlog through a pipe, where it cannot seek (BINLOG-FORMAT.md §10: the
/// positions "cannot be used with streamed stdin input").
/// </summary>
internal static class BinlogSlice
{
    private const int BufferSize = 1 << 20;

    /// <summary>Magic (4) + the common event header (19 bytes: timestamp, type, server_id, event_size at offset 9).</summary>
    private const int FdeHeaderEnd = 4 + 19;

    /// <summary>Opens the decrypted, decompressed binlog of a cached archive.</summary>
    public static Stream OpenPlaintext(string archivePath, KeyRing keys)
    {
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            var blar = new BlarReader(file, keys, leaveOpen: false, target: archivePath);
            return new ZstdDecompressStream(blar, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies the binlog to <paramref name="write"/>: [0, FDE end) unless <paramref name="skipMagic"/>
    /// drops the 4 magic bytes (a later file of one concatenated mysqlbinlog stream), then
    /// [max(start, FDE end), stop). <paramref name="write"/> gets each piece and the source offset just past it.
    /// Returns the number of bytes written.
    /// </summary>
    public static async Task<long> CopyAsync(Stream plaintext, long start, long? stop, bool skipMagic, string file,
        Func<ReadOnlyMemory<byte>, long, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int head = await plaintext.ReadAtLeastAsync(buffer.AsMemory(0, FdeHeaderEnd), FdeHeaderEnd, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (head < FdeHeaderEnd)
            {
                throw Corrupt(file, "it is shorter than a binlog header and format description event");
            }

            long fdeEnd = 4 + BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4 + 9, 4));
            long end = stop ?? long.MaxValue;
            if (fdeEnd > end || start > end)
            {
                throw Corrupt(file, $"the cut {start}..{end} does not hold its format description event (which ends at {fdeEnd})");
            }

            long position = 0; // offset in the plaintext of buffer[0]
            int filled = head;
            long written = 0;
            long from = Math.Max(start, fdeEnd);
            while (true)
            {
                // Emit the parts of [position, position + filled) that fall in [skip, fdeEnd) or [from, end).
                written += await EmitAsync(buffer, position, filled, skipMagic ? 4 : 0, fdeEnd, write, cancellationToken).ConfigureAwait(false);
                written += await EmitAsync(buffer, position, filled, from, end, write, cancellationToken).ConfigureAwait(false);
                position += filled;
                if (position >= end)
                {
                    break;
                }

                filled = await plaintext.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                if (filled == 0)
                {
                    if (stop is { } s && position < s)
                    {
                        throw Corrupt(file, $"it ends at {position}, before the stop position {s}");
                    }

                    break;
                }
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<long> EmitAsync(byte[] buffer, long position, int count, long from, long to,
        Func<ReadOnlyMemory<byte>, long, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        long a = Math.Max(from, position);
        long b = Math.Min(to, position + count);
        if (b <= a)
        {
            return 0;
        }

        await write(buffer.AsMemory((int)(a - position), (int)(b - a)), b, cancellationToken).ConfigureAwait(false);
        return b - a;
    }

    private static BinlogArchiveException Corrupt(string file, string why) =>
        new("RestoreBinlogUnreadable", ErrorKind.InvalidData, $"{file}: cannot cut the binlog for replay: {why}.", file,
            "Verify the archive (binlog-archive verify); the plan's positions must lie inside the archived file.");
}
