using System.Runtime.InteropServices;

namespace BinlogArchive.Core.IO;

internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86_64/arm64 value of O_DIRECTORY

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, Span<byte> buffer, nuint count);

    /// <summary>
    /// Reads the start of a small file through open(2)/read(2). .NET's own file APIs take a
    /// shared flock on open, which fails while another process holds the exclusive advisory lock
    /// on that very file; the lock holder's note must still be readable.
    /// </summary>
    public static string? ReadHeadUnlocked(string path, int maxBytes = 256)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = Open(path, ORdOnly);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> buffer = stackalloc byte[maxBytes];
            var n = Read(fd, buffer, (nuint)buffer.Length);
            return n <= 0 ? null : System.Text.Encoding.UTF8.GetString(buffer[..(int)n]);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>
    /// fsync(2) on a directory, so a rename into it survives a power loss (the rename is a
    /// directory update; fsync of the file alone does not persist it). Best effort off Linux.
    /// </summary>
    public static void FSyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            return;
        }

        try
        {
            FSync(fd);
        }
        finally
        {
            Close(fd);
        }
    }
}
