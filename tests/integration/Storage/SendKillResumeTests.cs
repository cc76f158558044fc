using System.Text.RegularExpressions;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>
/// `binlog-archive send` SIGKILLed in the middle of a multipart upload, then run again: it resumes
/// from the parts the store confirmed (none is sent twice), the object ends byte-identical, and
/// until then nothing in the store looks complete.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class SendKillResumeTests(StorageFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new("sendkill");

    [S3Fact]
    public async Task Killed_send_resumes_without_resending_confirmed_parts()
    {
        var bucket = await fixture.CreateBucketAsync();
        using var proxy = new FaultProxy(StorageServices.Require(StorageServices.S3Endpoint, "S3"));
        var dir = _temp.Combine("archives");
        Directory.CreateDirectory(dir);
        var archive = TestArchives.Create(dir, 7, 2_000_000, seed: 11);
        var uri = $"s3://{bucket}/prod?endpoint={proxy.Url}&path_style=true";
        string[] send = ["send", "--destination", uri, "--server", "db1", "--state-dir", _temp.Combine("state"),
            "--multipart-threshold", "500000", "--part-size", "262144", "--max-attempts", "50", "--json", archive];

        // Parts 5 and later hang: the process is stuck mid-upload when it is killed.
        proxy.Rule = r => PartOf(r) >= 5 ? Fault.Stall : Fault.None;
        using (var p = CliRunner.Start(send))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Confirmed(proxy.Requests).Count < 4 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        var confirmedBeforeKill = Confirmed(proxy.Requests);
        Assert.Superset(new HashSet<int> { 1, 2, 3, 4 }, confirmedBeforeKill);
        var list = CliRunner.Run(["list", "--source", uri.Replace(proxy.Url, StorageServices.S3Endpoint, StringComparison.Ordinal), "--server", "db1", "--json"], env: null);
        Assert.DoesNotContain("mysql-bin.000007", list.StdOut);

        var before = proxy.Requests.Count;
        proxy.Rule = null;
        var rerun = CliRunner.Run(send, env: null, timeout: TimeSpan.FromMinutes(2));

        Assert.True(rerun.ExitCode == 0, rerun.StdErr);
        Assert.Contains("\"created\"", rerun.StdOut);
        var resent = proxy.Requests.Skip(before).Select(PartOf).OfType<int>().ToHashSet();
        Assert.Empty(resent.Intersect(confirmedBeforeKill));
        Assert.DoesNotContain(proxy.Requests.Skip(before), r => r.Method == "POST" && r.PathAndQuery.EndsWith("?uploads", StringComparison.Ordinal));
        using var store = Core.Storage.ArchiveStoreFactory.Open($"s3://{bucket}/prod?endpoint={StorageServices.S3Endpoint}&path_style=true",
            StorageServices.SmallParts(_temp.Combine("state2")));
        Assert.Equal(await File.ReadAllBytesAsync(archive), await TestArchives.ReadAllAsync(store, "db1/binlogs/mysql-bin.000007.zst.enc"));
        Assert.NotNull(await store.HeadAsync("db1/binlogs/mysql-bin.000007.zst.enc" + Sidecar.Suffix));
    }

    public void Dispose() => _temp.Dispose();

    private static HashSet<int> Confirmed(IReadOnlyList<ProxiedRequest> requests) =>
        requests.Where(r => r.Status == 200).Select(PartOf).OfType<int>().ToHashSet();

    private static int? PartOf(ProxiedRequest r) =>
        r.Method == "PUT" && PartNumber().Match(r.PathAndQuery) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"[?&]partNumber=(\d+)")]
    private static partial Regex PartNumber();
}
