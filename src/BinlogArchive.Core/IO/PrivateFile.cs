namespace BinlogArchive.Core.IO;

/// <summary>
/// Opens files that must never be readable by group or others (keys, locks, temp archives):
/// on Unix the mode is set at creation, so there is no window in which the file is world-readable.
/// </summary>
public static class PrivateFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.Create or FileMode.OpenOrCreate)
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }
}
