using System.Diagnostics;
using System.Text.Json;
using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Tests.Integration.Discovery;

/// <summary>`binlog-archive closed` as a user runs it: a separate process, real files, real locks.</summary>
public sealed class ClosedCommandTests
{
    private const string Closed840 = "mysql-8.4.0__binlog.000007";
    private const string InUse840 = "mysql-8.4.0__binlog.000007.inuse-snapshot";

    [SharedFixtureFact]
    public void Json_lists_closed_files_and_names_the_active_one()
    {
        using var tmp = new TempDirectory();
        var dir = MakeBinlogDir(tmp, newestInUse: true);

        var r = CliRunner.Run(["closed", "--binlog-dir", dir, "--json", "--state-dir", tmp.Combine("state")], env: null);

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var closed = doc.RootElement.GetProperty("closed");
        Assert.Equal(1, closed.GetArrayLength());
        Assert.Equal("binlog.000006", closed[0].GetProperty("name").GetString());
        Assert.Equal("mysql", closed[0].GetProperty("flavor").GetString());
        Assert.EndsWith("binlog.000007", doc.RootElement.GetProperty("active_file").GetString());
    }

    [SharedFixtureFact]
    public void Missing_index_entry_exits_1_and_names_the_file()
    {
        using var tmp = new TempDirectory();
        var dir = MakeBinlogDir(tmp, newestInUse: false);
        File.Delete(Path.Combine(dir, "binlog.000006"));

        var r = CliRunner.Run(["closed", "--binlog-dir", dir, "--state-dir", tmp.Combine("state")], env: null);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BinlogMissing", r.StdErr);
        Assert.Contains("binlog.000006", r.StdErr);
    }

    [Fact]
    public void Bad_usage_exits_2()
    {
        var r = CliRunner.Run("closed", "--no-such-flag");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--binlog-dir", r.StdErr);
    }

    [SharedFixtureFact]
    public void Two_runs_at_once_are_serialised_by_the_lock()
    {
        using var tmp = new TempDirectory();
        var dir = MakeBinlogDir(tmp, newestInUse: false);
        var state = tmp.Combine("state");

        // This test process is the first run: it holds the lock the CLI takes.
        var held = AdvisoryLock.Acquire(AdvisoryLock.LockPathFor(state, dir), TimeSpan.Zero);
        var impatient = CliRunner.Run(["closed", "--binlog-dir", dir, "--state-dir", state, "--lock-timeout", "1"], env: null);

        var watch = Stopwatch.StartNew();
        using var patient = CliRunner.Start(["closed", "--binlog-dir", dir, "--state-dir", state, "--lock-timeout", "30", "--json"]);
        var stdout = patient.StandardOutput.ReadToEndAsync();
        Thread.Sleep(1500);
        Assert.False(patient.HasExited, "the second run must wait while the lock is held");
        held.Dispose();
        Assert.True(patient.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.Equal(1, impatient.ExitCode);
        Assert.Contains("LockHeld", impatient.StdErr);
        Assert.Contains($"process {Environment.ProcessId}", impatient.StdErr);
        Assert.Equal(0, patient.ExitCode);
        Assert.Contains("binlog.000007", stdout.Result);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.4));
    }

    private static string MakeBinlogDir(TempDirectory tmp, bool newestInUse)
    {
        var dir = tmp.Combine("binlogs");
        Directory.CreateDirectory(dir);
        File.Copy(RepoPaths.SharedFixture(Closed840), Path.Combine(dir, "binlog.000006"));
        File.Copy(RepoPaths.SharedFixture(newestInUse ? InUse840 : Closed840), Path.Combine(dir, "binlog.000007"));
        File.WriteAllLines(Path.Combine(dir, "binlog.index"), ["./binlog.000006", "./binlog.000007"]);
        return dir;
    }
}
