using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Storage.AzureBlob;

/// <summary>
/// Azure credentials from the environment only, in the order ARCHITECTURE.md §8 gives:
/// AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN, else Entra ID.
/// </summary>
internal sealed record AzureCredentials(AzureAuthMode Mode, string? AccountName, byte[]? Key, string? SasQuery, Uri? BlobEndpoint)
{
    public static AzureCredentials FromEnvironment(string account, string uri)
    {
        var connection = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return FromConnectionString(connection, uri);
        }

        var key = Environment.GetEnvironmentVariable("AZURE_STORAGE_KEY");
        if (!string.IsNullOrWhiteSpace(key))
        {
            return new AzureCredentials(AzureAuthMode.SharedKey, account, DecodeKey(key, "AZURE_STORAGE_KEY", uri), null, null);
        }

        var sas = Environment.GetEnvironmentVariable("AZURE_STORAGE_SAS_TOKEN");
        if (!string.IsNullOrWhiteSpace(sas))
        {
            return new AzureCredentials(AzureAuthMode.Sas, account, null, sas.TrimStart('?'), null);
        }

        return new AzureCredentials(AzureAuthMode.EntraId, account, null, null, null);
    }

    private static AzureCredentials FromConnectionString(string text, string uri)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[item[..eq]] = item[(eq + 1)..];
            }
        }

        Uri? endpoint = parts.TryGetValue("BlobEndpoint", out var e) && Uri.TryCreate(e, UriKind.Absolute, out var parsed) ? parsed : null;
        if (parts.TryGetValue("SharedAccessSignature", out var sas))
        {
            return new AzureCredentials(AzureAuthMode.Sas, parts.GetValueOrDefault("AccountName"), null, sas.TrimStart('?'), endpoint);
        }

        if (parts.TryGetValue("AccountKey", out var key) && parts.TryGetValue("AccountName", out var name))
        {
            return new AzureCredentials(AzureAuthMode.SharedKey, name, DecodeKey(key, "AZURE_STORAGE_CONNECTION_STRING", uri), null, endpoint);
        }

        throw new BinlogArchiveException("AzureConnectionStringInvalid", ErrorKind.InvalidArgument,
            "AZURE_STORAGE_CONNECTION_STRING has neither AccountName+AccountKey nor SharedAccessSignature.", uri,
            "Copy the connection string from the storage account's Access keys page.");
    }

    private static byte[] DecodeKey(string key, string variable, string uri)
    {
        try
        {
            return Convert.FromBase64String(key.Trim());
        }
        catch (FormatException ex)
        {
            throw new BinlogArchiveException("AzureKeyInvalid", ErrorKind.InvalidArgument,
                $"The account key in {variable} is not base64.", uri, "Copy the key again from the storage account's Access keys page.", ex);
        }
    }
}
