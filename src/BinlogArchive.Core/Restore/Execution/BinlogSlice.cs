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
    /// Copies the binlog to <paramref name="write"/>: [0, header end) (see <see cref="HeaderEnd"/>) unless <paramref name="skipMagic"/>
    /// drops the 4 magic bytes (a later file of one concatenated mysqlbinlog stream), then
    /// [max(start, header end), stop). <paramref name="write"/> gets each piece and the source offset just past it.
    /// Returns the number of bytes written.
    /// </summary>
    public static async Task<long> CopyAsync(Stream plaintext, long start, long? stop, bool skipMagic, string file,
        Func<ReadOnlyMemory<byte>, long, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int head = await plaintext.ReadAtLeastAsync(buffer.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (head < FdeHeaderEnd)
            {
                throw Corrupt(file, "it is shorter than a binlog header and format description event");
            }

            long end = stop ?? long.MaxValue;
            long fdeEnd = HeaderEnd(buffer.AsSpan(0, head), start);
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

    /// <summary>
    /// End of the file's header: the format description event and the control events right after it
    /// that describe the file's starting state (MariaDB GTID_LIST 163 and BINLOG_CHECKPOINT 161, MySQL
    /// PREVIOUS_GTIDS 35), as long as they end at or before <paramref name="start"/>. mariadb-binlog
    /// checks a multi-file stream's GTID continuity against each file's GTID_LIST, so the first file's
    /// must be there even when the replay starts mid-file.
    /// </summary>
    private static long HeaderEnd(ReadOnlySpan<byte> head, long start)
    {
        long end = 4 + BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4 + 9, 4));
        while (end + 19 <= head.Length)
        {
            byte type = head[(int)end + 4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice((int)end + 9, 4));
            if (type is not (161 or 163 or 35) || size < 19 || end + size > start || end + size > head.Length)
            {
                break;
            }

            end += size;
        }

        return end;
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
