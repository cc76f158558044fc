using System.Diagnostics;
using System.Globalization;
using System.Text;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Discovery;

/// <summary>
/// An exclusive advisory lock (flock(2) on Linux: .NET opens a file with FileShare.None by taking
/// flock LOCK_EX|LOCK_NB) on a lock file in the state directory, so two runs over the same binlog
/// directory never hand the same file on. The kernel drops it when the process dies, so a crashed
/// run never leaves a stale lock behind. The holder's PID is written into the file for the error
/// message of the run that waits.
/// </summary>
public sealed class AdvisoryLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private AdvisoryLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>The lock file that guards one binlog directory.</summary>
    public static string LockPathFor(string stateDirectory, string binlogDirectory) =>
        System.IO.Path.Combine(stateDirectory, "locks", StateDirectory.KeyFor(binlogDirectory) + ".lock");

    /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; throws LockHeld naming the holder.</summary>
    public static AdvisoryLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(lockPath)!);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, PrivateFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                WriteHolder(stream);
                return new AdvisoryLock(lockPath, stream);
            }
            catch (IOException) when (stopwatch.Elapsed < timeout)
            {
                Thread.Sleep(PollInterval);
            }
            catch (IOException ex)
            {
                throw new BinlogArchiveException("LockHeld", ErrorKind.ResourceBusy,
                    $"Another binlog-archive run holds the lock {lockPath}{DescribeHolder(lockPath)}; waited {timeout.TotalSeconds:F0}s.",
                    lockPath,
                    "Wait for the other run to finish, or raise the lock timeout (--lock-timeout / -LockTimeout).", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new BinlogArchiveException("LockUnwritable", ErrorKind.PermissionDenied,
                    $"Cannot create or open the lock file {lockPath}: {ex.Message}", lockPath,
                    "Point --state-dir / -StateDirectory at a directory this user can write.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static void WriteHolder(FileStream stream)
    {
        var text = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId} {DateTimeOffset.UtcNow:O}\n"));
        stream.SetLength(0);
        stream.Write(text);
        stream.Flush();
    }

    private static string DescribeHolder(string lockPath)
    {
        var pid = NativeMethods.ReadHeadUnlocked(lockPath)?.Split(' ')[0].Trim();
        return string.IsNullOrEmpty(pid) ? string.Empty : $" (process {pid})";
    }
}
