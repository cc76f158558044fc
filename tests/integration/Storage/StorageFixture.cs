using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BinlogArchive.Core.Storage.AzureBlob;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>
/// Shared by the storage tests (one collection, so they never race on the process-wide credential
/// variables): points the SDK chain and our Azure lookup at the test servers and makes buckets and
/// containers.
/// </summary>
public sealed class StorageFixture
{
    public StorageFixture()
    {
        if (StorageServices.S3Endpoint is not null)
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", StorageServices.S3AccessKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", StorageServices.S3SecretKey);
            Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", null);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", null);
        }

        if (StorageServices.AzuriteKey is not null)
        {
            Environment.SetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING", null);
            Environment.SetEnvironmentVariable("AZURE_STORAGE_SAS_TOKEN", null);
            Environment.SetEnvironmentVariable("AZURE_STORAGE_KEY", StorageServices.AzuriteKey);
        }
    }

    public static string NewName(string kind) => $"{kind}-{Guid.NewGuid():N}"[..20];

    public async Task<string> CreateBucketAsync()
    {
        var endpoint = StorageServices.Require(StorageServices.S3Endpoint, "S3");
        var name = NewName("bkt");
        using var client = new AmazonS3Client(new BasicAWSCredentials(StorageServices.S3AccessKey, StorageServices.S3SecretKey),
            new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    public async Task<string> CreateContainerAsync()
    {
        var endpoint = StorageServices.Require(StorageServices.AzuriteEndpoint, "Azurite");
        var name = NewName("ctr");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{endpoint.TrimEnd('/')}/{name}?restype=container");
        request.Headers.Add("x-ms-version", "2021-08-06");
        request.Headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        SharedKeySigner.Sign(request, StorageServices.AzuriteAccount, Convert.FromBase64String(StorageServices.AzuriteKey!));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"create container: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return name;
    }
}
