using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>
/// The Azure credential sources other than a plain account key, against Azurite through the CLI:
/// an account SAS token (AZURE_STORAGE_SAS_TOKEN) and a connection string.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AzureAuthTests(StorageFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new("azauth");

    [AzuriteFact]
    public async Task A_SAS_token_authenticates_and_its_permissions_are_enforced()
    {
        var container = await fixture.CreateContainerAsync();
        var archive = OneArchive();
        var full = AccountSas("rwdlac");
        var readOnly = AccountSas("rl");

        var sent = Send(container, archive, new() { ["AZURE_STORAGE_KEY"] = "", ["AZURE_STORAGE_SAS_TOKEN"] = full });
        var denied = Send(container, OneArchive(2), new() { ["AZURE_STORAGE_KEY"] = "", ["AZURE_STORAGE_SAS_TOKEN"] = readOnly });

        Assert.True(sent.ExitCode == 0, sent.StdErr);
        Assert.StartsWith("Created", sent.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("StoreAccessDenied", denied.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(full.Split("sig=")[1], sent.StdErr + sent.StdOut, StringComparison.Ordinal);
    }

    [AzuriteFact]
    public async Task A_connection_string_authenticates()
    {
        var container = await fixture.CreateContainerAsync();
        var connection = $"DefaultEndpointsProtocol=http;AccountName={StorageServices.AzuriteAccount};" +
            $"AccountKey={StorageServices.AzuriteKey};BlobEndpoint={StorageServices.AzuriteEndpoint};";

        var sent = Send(container, OneArchive(), new() { ["AZURE_STORAGE_KEY"] = "", ["AZURE_STORAGE_CONNECTION_STRING"] = connection });

        Assert.True(sent.ExitCode == 0, sent.StdErr);
        Assert.StartsWith("Created", sent.StdOut, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private CliRunner.Result Send(string container, string archive, Dictionary<string, string?> env)
    {
        env["BINLOG_ARCHIVE_STATE_DIR"] = _temp.Combine("state");
        var uri = $"azblob://{StorageServices.AzuriteAccount}/{container}/p?endpoint={StorageServices.AzuriteEndpoint}";
        return CliRunner.Run(["send", "--destination", uri, "--max-attempts", "2", archive], env, timeout: TimeSpan.FromMinutes(1));
    }

    private string OneArchive(long sequence = 1)
    {
        var dir = _temp.Combine("a" + sequence);
        Directory.CreateDirectory(dir);
        return TestArchives.Create(dir, sequence, 5000);
    }

    /// <summary>An account SAS for the blob service (Azure Storage REST: "Create an account SAS", version 2019-12-12).</summary>
    private static string AccountSas(string permissions)
    {
        const string version = "2019-12-12";
        const string expiry = "2030-01-01T00:00:00Z";
        var toSign = $"{StorageServices.AzuriteAccount}\n{permissions}\nb\nsco\n\n{expiry}\n\nhttps,http\n{version}\n";
        var sig = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(StorageServices.AzuriteKey!), Encoding.UTF8.GetBytes(toSign)));
        return $"sv={version}&ss=b&srt=sco&sp={permissions}&se={Uri.EscapeDataString(expiry)}&spr=https,http&sig={Uri.EscapeDataString(sig)}";
    }
}
