using System.Buffers;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Binlog;

public static class BinlogFileReader
{
    /// <summary>Read size: large enough that most events are handled in place, small enough to stay in cache.</summary>
    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// Reads a binlog file once, streaming. Throws <see cref="Errors.BinlogArchiveException"/> for
    /// I/O failures (missing, unreadable); bad content is reported in the summary's Errors.
    /// </summary>
    public static BinlogFileSummary Read(string path, BinlogScanOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var scanner = new BinlogScanner(Path.GetFileName(path), options);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var stream = Open(path);
            int n;
            while ((n = ReadChunk(stream, buffer, path)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scanner.Append(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return scanner.Complete();
    }

    /// <summary>Asynchronous <see cref="Read"/>: same results and errors.</summary>
    public static async Task<BinlogFileSummary> ReadAsync(string path, BinlogScanOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var scanner = new BinlogScanner(Path.GetFileName(path), options);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var stream = Open(path, useAsync: true);
            while (true)
            {
                int n;
                try
                {
                    n = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw Unreadable(path, ex);
                }

                if (n == 0)
                {
                    break;
                }

                scanner.Append(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return scanner.Complete();
    }

    private static FileStream Open(string path, bool useAsync = false)
    {
        try
        {
            // FileShare.ReadWrite|Delete: the server may still be appending to (or purging) the file.
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = (useAsync ? FileOptions.Asynchronous : FileOptions.None) | FileOptions.SequentialScan,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BinlogArchiveException("BinlogNotFound", ErrorKind.ObjectNotFound,
                $"Binlog file '{path}' does not exist.", path,
                "Check the path; if the server purged the file (PURGE BINARY LOGS / binlog_expire_logs_seconds), it can no longer be archived.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BinlogArchiveException("BinlogAccessDenied", ErrorKind.PermissionDenied,
                $"Binlog file '{path}' cannot be opened: access denied.", path,
                "Run as a user that can read the MySQL data directory (for example a member of the mysql group).", ex);
        }
        catch (IOException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    private static int ReadChunk(FileStream stream, byte[] buffer, string path)
    {
        try
        {
            return stream.Read(buffer, 0, ChunkSize);
        }
        catch (IOException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    private static BinlogArchiveException Unreadable(string path, IOException ex) =>
        new("BinlogUnreadable", ErrorKind.ReadError,
            $"Binlog file '{path}' could not be read: {ex.Message}", path,
            "Check the disk and the file system (dmesg), then retry.", ex);
}
