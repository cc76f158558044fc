using System.Diagnostics;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Tests.Unit.Discovery;

public sealed class AdvisoryLockTests
{
    [Fact]
    public void Second_holder_times_out_with_LockHeld_naming_the_lock_and_holder()
    {
        using var tmp = new TempDirectory();
        var path = AdvisoryLock.LockPathFor(tmp.Path, "/var/lib/mysql");
        using var first = AdvisoryLock.Acquire(path, TimeSpan.Zero);

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<BinlogArchiveException>(() => AdvisoryLock.Acquire(path, TimeSpan.FromMilliseconds(300)));

        Assert.Equal("LockHeld", ex.ErrorId);
        Assert.Equal(ErrorKind.ResourceBusy, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), "the second run waits before failing");
    }

    [Fact]
    public void Waiting_holder_gets_the_lock_once_released()
    {
        using var tmp = new TempDirectory();
        var path = AdvisoryLock.LockPathFor(tmp.Path, "/var/lib/mysql");
        var first = AdvisoryLock.Acquire(path, TimeSpan.Zero);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            first.Dispose();
        });

        using var second = AdvisoryLock.Acquire(path, TimeSpan.FromSeconds(10));

        Assert.True(release.IsCompleted);
    }

    [Fact]
    public void Different_binlog_directories_get_different_locks_and_lock_files_are_private()
    {
        using var tmp = new TempDirectory();
        var a = AdvisoryLock.LockPathFor(tmp.Path, "/srv/db1/binlogs");
        var b = AdvisoryLock.LockPathFor(tmp.Path, "/srv/db2/binlogs");
        using var la = AdvisoryLock.Acquire(a, TimeSpan.Zero);
        using var lb = AdvisoryLock.Acquire(b, TimeSpan.Zero);

        Assert.NotEqual(a, b);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(a));
    }
}
