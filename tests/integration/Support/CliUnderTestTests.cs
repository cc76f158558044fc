using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Support;

/// <summary>
/// The CLI tests must exercise what users install: under ./build.sh test (and so in CI) that is
/// the natively compiled executable, where a reflection-only code path would fail at run time.
/// </summary>
public sealed class CliUnderTestTests
{
    [Fact]
    public void The_test_command_drives_the_native_executable()
    {
        if (!TestServices.RequireServices)
        {
            return; // a plain `dotnet test` may use the framework-dependent build
        }

        var native = CliRunner.NativeCli;
        Assert.False(native is null, "BINLOG_ARCHIVE_CLI is not set: ./build.sh test must publish the native CLI and export it");
        var head = new byte[4];
        using (var file = File.OpenRead(native!))
        {
            file.ReadExactly(head);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), head);
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StdOut.Trim());
    }
}
