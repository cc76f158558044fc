using System.Text.Json;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>binlog-archive send / list as a user runs them, including the failures they must explain.</summary>
[Collection(StorageCollection.Name)]
public sealed class StorageCliTests(StorageFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new("storagecli");

    [S3Fact]
    public async Task SendThenListAgainstS3()
    {
        var bucket = await fixture.CreateBucketAsync();
        var uri = $"s3://{bucket}/prod?endpoint={StorageServices.S3Endpoint}&path_style=true";
        var dir = _temp.Combine("archives");
        Directory.CreateDirectory(dir);
        var u = TestArchives.ServerUuid;
        var a1 = TestArchives.Create(dir, 1, 700_000, "", $"{u}:1-5");
        var a2 = TestArchives.Create(dir, 2, 1000, $"{u}:1-5", $"{u}:6-7");
        var a4 = TestArchives.Create(dir, 4, 1000, $"{u}:1-9", $"{u}:10");

        var dry = Run("send", "--destination", uri, "--dry-run", "--json", a1);
        Assert.Equal(0, dry.ExitCode);
        Assert.Equal("would_store", JsonDocument.Parse(dry.StdOut).RootElement[0].GetProperty("outcome").GetString());

        // Small threshold and parts: a1 goes multipart through the CLI too.
        var sent = Run("send", "--destination", uri, "--json", "--multipart-threshold", "300000", "--part-size", "262144", a1, a2, a4);
        Assert.True(sent.ExitCode == 0, sent.StdErr);
        var results = JsonDocument.Parse(sent.StdOut).RootElement;
        Assert.Equal(3, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.Equal("created", r.GetProperty("outcome").GetString()));
        Assert.Equal(Path.GetFullPath(a1), results[0].GetProperty("full_name").GetString());

        var again = Run("send", "--destination", uri, a1);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("AlreadyStored", again.StdOut, StringComparison.Ordinal);

        var list = Run("list", "--source", uri, "--json");
        Assert.Equal(1, list.ExitCode); // sequence 3 is missing
        var report = JsonDocument.Parse(list.StdOut).RootElement[0];
        Assert.Equal(u, report.GetProperty("server").GetString());
        Assert.Equal(3, report.GetProperty("files").GetArrayLength());
        Assert.Equal(3, report.GetProperty("missing_sequences")[0].GetInt64());
        Assert.Contains("SequenceGap", list.StdErr, StringComparison.Ordinal);

        var rebuilt = Run("list", "--source", uri, "--server", u, "--rebuild", "--json");
        Assert.Equal(1, rebuilt.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(rebuilt.StdOut).RootElement[0].GetProperty("files").GetArrayLength());
    }

    [S3Fact]
    public void UnreachableEndpointFailsClearlyAndKeepsLocalFiles()
    {
        var archive = OneArchive();
        var uri = "s3://somebucket/p?endpoint=http://127.0.0.1:9&path_style=true";
        var result = Run("send", "--destination", uri, "--max-attempts", "2", archive);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("StoreUnreachable", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("somebucket", result.StdErr, StringComparison.Ordinal);
        AssertLocalIntact(archive);
    }

    [S3Fact]
    public void MissingBucketAndBadCredentialsFailClearly()
    {
        var archive = OneArchive();
        var missing = Run("send", "--destination", $"s3://nosuchbucket1/p?endpoint={StorageServices.S3Endpoint}&path_style=true", archive);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("StoreNotFound", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("'nosuchbucket1' does not exist", missing.StdErr, StringComparison.Ordinal);

        var bucket = fixture.CreateBucketAsync().GetAwaiter().GetResult();
        var denied = Run(["send", "--destination", $"s3://{bucket}/p?endpoint={StorageServices.S3Endpoint}&path_style=true", archive],
            new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "WRONGKEY", ["AWS_SECRET_ACCESS_KEY"] = "wrong" });
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("StoreAccessDenied", denied.StdErr, StringComparison.Ordinal);
        Assert.Contains(bucket, denied.StdErr, StringComparison.Ordinal);
        AssertLocalIntact(archive);
    }

    [AzuriteFact]
    public async Task AzureSendListAndFailures()
    {
        var container = await fixture.CreateContainerAsync();
        var endpoint = StorageServices.AzuriteEndpoint;
        var archive = OneArchive();
        var uri = $"azblob://{StorageServices.AzuriteAccount}/{container}/prod?endpoint={endpoint}";
        var sent = Run("send", "--destination", uri, "--tenant", "acme", archive);
        Assert.True(sent.ExitCode == 0, sent.StdErr);
        var list = Run("list", "--source", uri, "--tenant", "acme");
        Assert.True(list.ExitCode == 0, list.StdErr);
        Assert.Contains("mysql-bin.000001", list.StdOut, StringComparison.Ordinal);

        var missing = Run("send", "--destination", $"azblob://{StorageServices.AzuriteAccount}/nosuchcontainer/p?endpoint={endpoint}", archive);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("the container 'nosuchcontainer' does not exist", missing.StdErr, StringComparison.Ordinal);

        var badKey = Convert.ToBase64String(new byte[64]);
        var denied = Run(["send", "--destination", uri, "--force", archive], new Dictionary<string, string?> { ["AZURE_STORAGE_KEY"] = badKey });
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("StoreAccessDenied", denied.StdErr, StringComparison.Ordinal);
        Assert.Contains(container, denied.StdErr, StringComparison.Ordinal);

        var unreachable = Run("send", "--destination", $"azblob://{StorageServices.AzuriteAccount}/{container}/p?endpoint=http://127.0.0.1:9/devstoreaccount1", "--max-attempts", "2", archive);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("StoreUnreachable", unreachable.StdErr, StringComparison.Ordinal);
        AssertLocalIntact(archive);
    }

    [S3Fact]
    public void BadUrisAreBadUsage()
    {
        var archive = OneArchive();
        var result = Run("send", "--destination", "s3://bucket/p?secret=abc", archive);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("InvalidStoreUri", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, Run("list", "--source", "gopher://x/y").ExitCode);
    }

    private string OneArchive()
    {
        var dir = _temp.Combine("one-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        return TestArchives.Create(dir, 1, 5000);
    }

    private static void AssertLocalIntact(string archive)
    {
        Assert.True(File.Exists(archive));
        Assert.True(File.Exists(Sidecar.PathFor(archive)));
        Sidecar.Load(Sidecar.PathFor(archive));
    }

    private CliRunner.Result Run(params string[] args) => Run(args, null);

    private CliRunner.Result Run(string[] args, IDictionary<string, string?>? env)
    {
        var all = new Dictionary<string, string?> { ["BINLOG_ARCHIVE_STATE_DIR"] = _temp.Combine("state") };
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        return CliRunner.Run(args, all, timeout: TimeSpan.FromMinutes(2));
    }

    public void Dispose() => _temp.Dispose();
}
