using System.Globalization;
using System.Text.Json;
using BinlogArchive.Core.Storage;
using BinlogArchive.Tests.Integration.Storage;
using BinlogArchive.Tests.MariaDb;
using BinlogArchive.Tests.Storage;
using Xunit.Abstractions;

namespace BinlogArchive.Tests.Integration.Restore;

/// <summary>
/// The golden point-in-time-recovery test, end to end through the CLI on real MariaDB and s3rver:
/// for every mark of <see cref="PitrScenario"/> and every kind of target (time, GTID, position), a
/// fresh server restored from the base backup, replayed with <c>binlog-archive restore --replay</c>,
/// must hold exactly the tables the source held at the mark (CHECKSUM TABLE).
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class PointInTimeRestoreTests : IClassFixture<PitrScenario>
{
    private readonly PitrScenario _scenario;
    private readonly ITestOutputHelper _output;

    public PointInTimeRestoreTests(PitrScenario scenario, ITestOutputHelper output)
    {
        _scenario = scenario;
        _output = output;
    }

    public static TheoryData<int, string> MarksAndKinds()
    {
        var data = new TheoryData<int, string>();
        for (int mark = 0; mark < 4; mark++)
        {
            foreach (var kind in new[] { "time", "gtid", "position" })
            {
                data.Add(mark, kind);
            }
        }

        return data;
    }

    [MariaDbTheory]
    [MemberData(nameof(MarksAndKinds))]
    public void ReplayToEachMarkReproducesItsTables(int markIndex, string kind)
    {
        RequireScenario();
        var mark = _scenario.Marks[markIndex];
        string[] target = kind switch
        {
            "time" => ["--restore-time", mark.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)],
            "gtid" => ["--stop-gtid", mark.LastGtid],
            _ => ["--stop-position", $"{mark.File}:{mark.Position}"],
        };
        using var target_ = FreshTarget($"{markIndex}{kind[0]}");
        var result = Restore(target_, [.. target, "--json"]);
        Assert.True(result.ExitCode == 0, $"restore to {mark} by {kind} failed (exit {result.ExitCode}):\n{result.StdErr}");
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        _output.WriteLine($"{mark} by {kind}: {json.GetProperty("plan").GetProperty("stop_description").GetString()}");
        _output.WriteLine($"durations: fetch {json.GetProperty("fetch_duration")}, verify {json.GetProperty("verify_duration")}, decode {json.GetProperty("decode_duration")}, apply {json.GetProperty("apply_duration")}");

        var expected = kind == "time" ? mark.ChecksumsByTime : mark.Checksums;
        Assert.Equal(expected, PitrScenario.ChecksumsOf(target_.Server));
        if (kind != "time" || mark.ChecksumsByTime == mark.Checksums)
        {
            Assert.Equal(mark.LastGtid, target_.Server.GtidBinlogPos());
        }

        if (kind == "time" && mark.ChecksumsByTime != mark.Checksums)
        {
            // Whole-second MariaDB times: the busy second is reported, with the GTIDs it holds.
            var ambiguity = json.GetProperty("plan").GetProperty("ambiguity");
            var gtids = ambiguity.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("gtid").GetString()).ToList();
            Assert.Contains(mark.LastGtid, gtids);
            Assert.True(gtids.Count >= 2, "the ambiguous second holds the mark's transaction and the one right after it");
            Assert.Contains("RestoreTimeAmbiguous", result.StdErr, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(json.GetProperty("plan").TryGetProperty("ambiguity", out _));
        }
    }

    [MariaDbFact]
    public void PlanOnlyReportsTheAmbiguousSecondAndTouchesNothing()
    {
        RequireScenario();
        var c = _scenario.Marks[2];
        var r = PitrScenario.Run(_scenario.Root, "restore", "--source", _scenario.MainStore, "--key-file", _scenario.KeyFile,
            "--base-backup", _scenario.BackupDirectory, "--restore-time", c.Time.ToString("O", CultureInfo.InvariantCulture), "--plan-only", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var plan = JsonDocument.Parse(r.StdOut).RootElement;
        var ambiguity = plan.GetProperty("ambiguity");
        Assert.Contains(ambiguity.GetProperty("transactions").EnumerateArray(), t => t.GetProperty("gtid").GetString() == c.LastGtid);
        Assert.Contains("--stop-gtid", ambiguity.GetProperty("advice").GetString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [MariaDbFact]
    public void ContinueAppliesOnlyWhatTheTargetLacks()
    {
        RequireScenario();
        using var target = FreshTarget("cont");
        var first = Restore(target, "--stop-gtid", _scenario.Marks[0].LastGtid);
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(_scenario.Marks[0].Checksums, PitrScenario.ChecksumsOf(target.Server));
        foreach (var mark in _scenario.Marks.Skip(1))
        {
            var next = PitrScenario.Run(_scenario.Root, "restore", "--source", _scenario.MainStore, "--key-file", _scenario.KeyFile,
                "--continue", "--stop-gtid", mark.LastGtid, "--replay", "--socket", target.Socket, "--user", "root", "--json");
            Assert.True(next.ExitCode == 0, $"continue to {mark}: {next.StdErr}");
            Assert.Equal(mark.Checksums, PitrScenario.ChecksumsOf(target.Server));
            Assert.Equal(mark.LastGtid, target.Server.GtidBinlogPos());
        }
    }

    [MariaDbFact]
    public async Task MissingArchiveStopsBeforeAnythingIsApplied()
    {
        RequireScenario();
        var uri = _scenario.StoreUri("missing");
        _scenario.Cli(["send", "--destination", uri, .. Directory.GetFiles(_scenario.ArchiveDirectory, "*.zst.enc").Order(StringComparer.Ordinal)]);
        var victim = Path.GetFileName(_scenario.ClosedFiles[2]);
        using (var store = ArchiveStoreFactory.Open(uri))
        {
            var key = await FindKeyAsync(store, victim + ".zst.enc");
            await store.DeleteAsync(key);
        }

        using var target = FreshTarget("miss");
        var r = PitrScenario.Run(_scenario.Root, "restore", "--source", uri, "--key-file", _scenario.KeyFile, "--base-backup", _scenario.BackupDirectory,
            "--stop-gtid", _scenario.Marks[3].LastGtid, "--replay", "--socket", target.Socket, "--user", "root");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(victim, r.StdErr, StringComparison.Ordinal);
        AssertUntouched(target);
    }

    [MariaDbFact]
    public async Task TamperedArchiveStopsBeforeAnythingIsApplied()
    {
        RequireScenario();
        var uri = _scenario.StoreUri("tampered");
        _scenario.Cli(["send", "--destination", uri, .. Directory.GetFiles(_scenario.ArchiveDirectory, "*.zst.enc").Order(StringComparer.Ordinal)]);
        // The LAST file of the plan is tampered: the files before it are good, and still nothing may be applied.
        var victim = Path.GetFileName(_scenario.ClosedFiles[^1]);
        using (var store = ArchiveStoreFactory.Open(uri))
        {
            var key = await FindKeyAsync(store, victim + ".zst.enc");
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_scenario.ArchiveDirectory, victim + ".zst.enc"));
            bytes[bytes.Length / 2] ^= 0x40;
            await store.PutBytesAsync(key, bytes, PutOptions.Default);
        }

        using var target = FreshTarget("tamp");
        var r = PitrScenario.Run(_scenario.Root, "restore", "--source", uri, "--key-file", _scenario.KeyFile, "--base-backup", _scenario.BackupDirectory,
            "--replay", "--socket", target.Socket, "--user", "root");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(victim, r.StdErr, StringComparison.Ordinal);
        Assert.Contains("RestoreArchiveInvalid", r.StdErr, StringComparison.Ordinal);
        AssertUntouched(target);
    }

    [MariaDbFact]
    public void OutputDirectoryHoldsTheOriginalBinlogsAndAReplayScriptThatReproducesTheMark()
    {
        RequireScenario();
        var mark = _scenario.Marks[1]; // the temporary table across a rotation: the script must replay in one session
        var dir = Path.Combine(_scenario.Root, "out-" + Guid.NewGuid().ToString("N")[..6]);
        var r = PitrScenario.Run(_scenario.Root, "restore", "--source", _scenario.MainStore, "--key-file", _scenario.KeyFile,
            "--base-backup", _scenario.BackupDirectory, "--stop-gtid", mark.LastGtid, "--output-dir", dir, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var files = JsonDocument.Parse(r.StdOut).RootElement.GetProperty("files").EnumerateArray()
            .Select(f => f.GetProperty("file").GetString()!).ToList();
        Assert.True(files.Count >= 2, "mark B spans a rotation");
        foreach (var file in files)
        {
            var original = Path.Combine(_scenario.Source!.DataDirectory, file);
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(Path.Combine(dir, file)));
        }

        var script = File.ReadAllText(Path.Combine(dir, "replay.sh"));
        Assert.Contains("--start-position=", script, StringComparison.Ordinal);
        Assert.Contains("--stop-position=", script, StringComparison.Ordinal);
        Assert.DoesNotContain("--password", script, StringComparison.Ordinal);

        using var target = FreshTarget("outd");
        var run = ToolProcess.Run("bash", [Path.Combine(dir, "replay.sh"), "--socket=" + target.Socket, "--user=root"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(mark.Checksums, PitrScenario.ChecksumsOf(target.Server));
        Assert.Equal(mark.LastGtid, target.Server.GtidBinlogPos());
    }

    [MariaDbFact]
    public void BadUsageExitsTwo()
    {
        RequireScenario();
        string[] common = ["restore", "--source", _scenario.MainStore, "--key-file", _scenario.KeyFile];
        Assert.Equal(2, PitrScenario.Run(_scenario.Root, [.. common, "--base-backup", _scenario.BackupDirectory]).ExitCode); // no mode
        Assert.Equal(2, PitrScenario.Run(_scenario.Root, [.. common, "--replay", "--output-dir", "/tmp/x", "--from", "mysql-bin.000001:4"]).ExitCode);
        Assert.Equal(2, PitrScenario.Run(_scenario.Root, [.. common, "--plan-only", "--from", "mysql-bin.000001:4", "--from-gtid", "0-1-3"]).ExitCode);
        Assert.Equal(2, PitrScenario.Run(_scenario.Root, [.. common, "--plan-only", "--from", "x", "--stop-gtid", "0-1-3", "--stop-position", "f:5"]).ExitCode);
        Assert.Equal(2, PitrScenario.Run(_scenario.Root, [.. common, "--replay", "--from", "mysql-bin.000001:4", "--password", "secret"]).ExitCode);
    }

    private void RequireScenario()
    {
        if (!_scenario.Available)
        {
            Assert.Fail("the PITR scenario needs MariaDB and s3rver (BINLOG_TEST_MARIADB_SOCKET and BINLOG_TEST_S3_ENDPOINT); run ./build.sh test");
        }
    }

    private ThrowawayMariaDb FreshTarget(string name)
    {
        var target = ThrowawayMariaDb.StartOnDataDirectory(Path.Combine(_scenario.Root, "t" + name + Guid.NewGuid().ToString("N")[..4]), _scenario.BackupDirectory);
        Assert.Equal(_scenario.BackupChecksums, PitrScenario.ChecksumsOf(target.Server));
        return target;
    }

    private CliRunner.Result Restore(ThrowawayMariaDb target, params string[] extra) =>
        PitrScenario.Run(_scenario.Root, ["restore", "--source", _scenario.MainStore, "--key-file", _scenario.KeyFile,
            "--base-backup", _scenario.BackupDirectory, .. extra, "--replay", "--socket", target.Socket, "--user", "root"]);

    private void AssertUntouched(ThrowawayMariaDb target)
    {
        Assert.Equal(_scenario.BackupChecksums, PitrScenario.ChecksumsOf(target.Server));
        var gtids = target.Server.Query("SELECT @@gtid_binlog_pos");
        Assert.True(gtids.Count == 0 || gtids[0][0] == "", "the target's binlog is untouched");
    }

    private static async Task<string> FindKeyAsync(IArchiveStore store, string name)
    {
        await foreach (var obj in store.ListAsync(""))
        {
            if (obj.Key.EndsWith("/" + name, StringComparison.Ordinal))
            {
                return obj.Key;
            }
        }

        throw new InvalidOperationException($"{name} not in {store.Uri}");
    }
}
