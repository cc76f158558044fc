using System.Diagnostics;
using System.Text.Json;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.Integration.Storage;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Cycle;

/// <summary>`binlog-archive run`, the cron job: the whole cycle, idempotent, resumable after a kill.</summary>
[Collection(StorageCollection.Name)]
public sealed class RunCommandTests(StorageFixture fixture) : IDisposable
{
    private static readonly string Sample = Path.Combine(RepoPaths.TestFixtures, "mariadb");
    private readonly TempDirectory _tmp = new("run");

    [Fact]
    public void Archives_every_closed_binlog_and_a_rerun_repeats_nothing()
    {
        var key = NewKey();
        var store = _tmp.Combine("store");

        var first = Run(key, store, "--level", "3");
        var stored = StoredObjects(store);
        var second = Run(key, store, "--level", "3");

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(["archived"], Outcomes(first).Distinct());
        Assert.Equal(5, Outcomes(first).Count);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(Enumerable.Repeat("already_stored", 5), Outcomes(second));
        Assert.Equal(stored, StoredObjects(store));
        Assert.Empty(Directory.GetFiles(_tmp.Combine("state", "staging"), "*", SearchOption.AllDirectories));

        using var master = KeyFile.Load(key);
        var verifier = new ArchiveVerifier(new KeyRing(master));
        var archives = Directory.GetFiles(store, "*.zst.enc", SearchOption.AllDirectories);
        Assert.Equal(5, archives.Length);
        Assert.All(archives, a => Assert.True(verifier.Verify(a).Valid, a));
        var list = CliRunner.Run(["list", "--source", store, "--json"], env: null);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(5, JsonDocument.Parse(list.StdOut).RootElement[0].GetProperty("files").GetArrayLength());
    }

    [Fact]
    public void Killed_mid_run_a_rerun_finishes_the_job_and_nothing_incomplete_is_visible()
    {
        var key = NewKey();
        var store = _tmp.Combine("store");

        // Level 19 on the 2 MiB file takes seconds: the kill lands inside protect or send.
        using (var p = CliRunner.Start(Args(key, store, "--level", "19", "--workers", "1")))
        {
            Thread.Sleep(1500);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        foreach (var sidecar in Directory.GetFiles(store, "*.json", SearchOption.AllDirectories).Where(f => f.EndsWith(".zst.enc.json", StringComparison.Ordinal)))
        {
            Assert.True(File.Exists(sidecar[..^".json".Length]), $"{sidecar} is visible without its archive");
        }

        var rerun = Run(key, store, "--level", "3");

        Assert.True(rerun.ExitCode == 0, rerun.StdErr);
        Assert.Equal(5, Outcomes(rerun).Count(o => o is "archived" or "already_stored"));
        var list = CliRunner.Run(["list", "--source", store, "--json"], env: null);
        Assert.Equal(0, list.ExitCode);
        Assert.Empty(JsonDocument.Parse(list.StdOut).RootElement[0].GetProperty("missing_sequences").EnumerateArray());
    }

    [Fact]
    public void Dry_run_sends_nothing()
    {
        var key = NewKey();
        var store = _tmp.Combine("store");

        var dry = Run(key, store, "--dry-run");

        Assert.Equal(0, dry.ExitCode);
        Assert.Equal(Enumerable.Repeat("would_archive", 5), Outcomes(dry));
        Assert.Empty(Directory.Exists(store) ? Directory.GetFiles(store, "*.zst.enc*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public void A_binlog_purged_before_archiving_fails_the_run_but_the_rest_is_archived()
    {
        var key = NewKey();
        var dir = _tmp.Combine("binlogs");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Sample))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }

        File.Delete(Path.Combine(dir, "mysql-bin.000002"));
        var store = _tmp.Combine("store");

        var r = CliRunner.Run(["run", "--binlog-dir", dir, "--key-file", key, "--destination", store, "--state-dir", _tmp.Combine("state"), "--level", "1", "--json"], env: null);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BinlogMissing", r.StdErr);
        Assert.Contains("mysql-bin.000002", r.StdErr);
        Assert.Equal(4, Outcomes(r).Count(o => o == "archived"));
    }

    [S3Fact]
    public async Task Runs_into_a_real_S3_compatible_store()
    {
        var bucket = await fixture.CreateBucketAsync();
        var uri = $"s3://{bucket}/prod?endpoint={StorageServices.S3Endpoint}&path_style=true";
        var key = NewKey();

        var first = Run(key, uri, "--level", "3");
        var second = Run(key, uri, "--level", "3");
        var list = CliRunner.Run(["list", "--source", uri, "--json"], env: null);

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(Enumerable.Repeat("archived", 5), Outcomes(first));
        Assert.Equal(Enumerable.Repeat("already_stored", 5), Outcomes(second));
        Assert.Equal(0, list.ExitCode);
        var report = JsonDocument.Parse(list.StdOut).RootElement[0];
        Assert.Equal(5, report.GetProperty("files").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("latest_restorable_time").GetString()));
    }

    public void Dispose() => _tmp.Dispose();

    private string NewKey()
    {
        var path = _tmp.Combine("master-" + Guid.NewGuid().ToString("N")[..6] + ".key");
        Assert.Equal(0, CliRunner.Run("keygen", "--out", path).ExitCode);
        return path;
    }

    private string[] Args(string key, string destination, params string[] extra) =>
        ["run", "--binlog-dir", Sample, "--key-file", key, "--destination", destination, "--state-dir", _tmp.Combine("state"), "--json", .. extra];

    private CliRunner.Result Run(string key, string destination, params string[] extra) =>
        CliRunner.Run(Args(key, destination, extra), env: null, timeout: TimeSpan.FromMinutes(3));

    private static List<string> Outcomes(CliRunner.Result r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("outcome").GetString()!).ToList();

    private static Dictionary<string, DateTime> StoredObjects(string store) =>
        Directory.GetFiles(store, "*.zst.enc*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
}
