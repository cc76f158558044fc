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
