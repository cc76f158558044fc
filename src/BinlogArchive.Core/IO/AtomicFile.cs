using System.Diagnostics;
using System.Globalization;

namespace BinlogArchive.Core.IO;

/// <summary>
/// An output that is either complete under its final name or absent: bytes go to a hidden temp
/// file in the same directory; <see cref="Commit"/> fsyncs it, renames it into place and fsyncs
/// the directory. Disposing without commit deletes the temp file. The temp name carries the
/// writer's PID so a later run can tell a crash leftover from a concurrent writer's file.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private const string PartialSuffix = ".partial";

    private bool _committed;

    private AtomicFile(string finalPath, string tempPath, FileStream stream)
    {
        FinalPath = finalPath;
        TempPath = tempPath;
        Stream = stream;
    }

    public string FinalPath { get; }

    public string TempPath { get; }

    public FileStream Stream { get; }

    public static AtomicFile Create(string finalPath, int bufferSize = 1 << 16)
    {
        var full = Path.GetFullPath(finalPath);
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture,
            $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{PartialSuffix}"));
        var stream = new FileStream(temp, PrivateFile.Options(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize));
        return new AtomicFile(full, temp, stream);
    }

    /// <summary>Durably publishes the file. <paramref name="overwrite"/> false fails if the final name exists.</summary>
    public void Commit(bool overwrite = false)
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(TempPath, FinalPath, overwrite);
        _committed = true;
        NativeMethods.FSyncDirectory(Path.GetDirectoryName(FinalPath)!);
    }

    /// <summary>Durably removes a published file (unlink, then fsync of its directory); an absent file is fine.</summary>
    public static void Remove(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return;
        }

        File.Delete(full);
        NativeMethods.FSyncDirectory(Path.GetDirectoryName(full)!);
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            TryDelete(TempPath);
        }
    }

    /// <summary>Deletes temp files left in <paramref name="directory"/> by writers that no longer run.</summary>
    public static IReadOnlyList<string> CleanLeftovers(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory))
        {
            return removed;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "." + "*" + PartialSuffix))
        {
            var parts = Path.GetFileName(path).Split('.');
            if (parts.Length >= 4
                && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !IsRunning(pid))
            {
                TryDelete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
