using System.Globalization;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Storage;

/// <summary>
/// A destination/source URI taken apart (ARCHITECTURE.md §8): a plain path or <c>file://</c>,
/// <c>s3://bucket/prefix</c>, <c>azblob://account/container/prefix</c> or
/// <c>https://account.blob.core.windows.net/container/prefix</c>. Only non-secret settings ride in
/// the query: <c>endpoint=</c>, <c>region=</c>, <c>path_style=true</c>.
/// </summary>
public sealed record StoreLocation
{
    public required StoreKind Kind { get; init; }

    /// <summary>The URI as given (never holds secrets: we refuse ones that look like they do).</summary>
    public required string Original { get; init; }

    /// <summary>Filesystem root directory.</summary>
    public string? Path { get; init; }

    /// <summary>S3 bucket or Azure container.</summary>
    public string? Container { get; init; }

    public string? Account { get; init; }

    /// <summary>Key prefix inside the bucket/container, without leading or trailing '/'.</summary>
    public string Prefix { get; init; } = "";

    public Uri? Endpoint { get; init; }

    public string? Region { get; init; }

    public bool PathStyle { get; init; }

    private static readonly string[] KnownParameters = ["endpoint", "region", "path_style"];

    public static StoreLocation Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw Bad(uri ?? "", "it is empty");
        }

        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return new StoreLocation { Kind = StoreKind.FileSystem, Original = uri, Path = System.IO.Path.GetFullPath(uri) };
        }

        var scheme = uri[..schemeEnd].ToLowerInvariant();
        var rest = uri[(schemeEnd + 3)..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var parameters = ParseQuery(uri, query);
        switch (scheme)
        {
            case "file":
            {
                if (parameters.Count > 0)
                {
                    throw Bad(uri, "file:// destinations take no query parameters");
                }

                // file:///abs/path or file://localhost/abs/path; a relative file:// form is ambiguous.
                var path = rest.StartsWith("localhost/", StringComparison.OrdinalIgnoreCase) ? rest["localhost".Length..] : rest;
                if (!path.StartsWith('/'))
                {
                    throw Bad(uri, "a file:// URI needs an absolute path (file:///var/backups/binlogs)");
                }

                return new StoreLocation { Kind = StoreKind.FileSystem, Original = uri, Path = Uri.UnescapeDataString(path) };
            }

            case "s3":
            {
                var (first, prefix) = SplitFirst(rest);
                if (first.Length == 0)
                {
                    throw Bad(uri, "the bucket name is missing (s3://bucket/prefix)");
                }

                if (first.Length < 3 || first.Length > 63 || !first.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
                {
                    throw Bad(uri, $"'{first}' is not a valid S3 bucket name (3-63 lower-case letters, digits, '-' or '.')");
                }

                return new StoreLocation
                {
                    Kind = StoreKind.S3, Original = uri, Container = first, Prefix = prefix,
                    Endpoint = EndpointOf(uri, parameters),
                    Region = parameters.GetValueOrDefault("region"),
                    PathStyle = BoolOf(uri, parameters, "path_style"),
                };
            }

            case "azblob":
            {
                var (account, afterAccount) = SplitFirst(rest);
                var (container, prefix) = SplitFirst(afterAccount);
                if (account.Length == 0 || container.Length == 0)
                {
                    throw Bad(uri, "expected azblob://account/container/prefix");
                }

                ValidateContainer(uri, container);
                RejectS3Parameters(uri, parameters);
                return new StoreLocation
                {
                    Kind = StoreKind.AzureBlob, Original = uri, Account = account, Container = container, Prefix = prefix,
                    Endpoint = EndpointOf(uri, parameters),
                };
            }

            case "https":
            case "http":
            {
                var (host, path) = SplitFirst(rest);
                const string BlobSuffix = ".blob.core.windows.net";
                if (!host.EndsWith(BlobSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    throw Bad(uri, "only Azure Blob URLs (https://ACCOUNT.blob.core.windows.net/container/prefix) are accepted as http(s) destinations");
                }

                if (parameters.ContainsKey("sig"))
                {
                    throw Bad(uri, "it carries a SAS signature; secrets must not appear on a command line — set AZURE_STORAGE_SAS_TOKEN instead");
                }

                var (container, prefix) = SplitFirst(path);
                if (container.Length == 0)
                {
                    throw Bad(uri, "the container is missing (https://ACCOUNT.blob.core.windows.net/container/prefix)");
                }

                ValidateContainer(uri, container);
                return new StoreLocation
                {
                    Kind = StoreKind.AzureBlob, Original = uri, Account = host[..^BlobSuffix.Length], Container = container, Prefix = prefix,
                    Endpoint = new Uri($"{scheme}://{host}"),
                };
            }

            default:
                throw Bad(uri, $"unknown scheme '{scheme}://' (use a path, file://, s3:// or azblob://)");
        }
    }

    private static void ValidateContainer(string uri, string container)
    {
        if (container.Length < 3 || container.Length > 63 || !container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw Bad(uri, $"'{container}' is not a valid Azure container name (3-63 lower-case letters, digits or '-')");
        }
    }

    private static void RejectS3Parameters(string uri, Dictionary<string, string> parameters)
    {
        if (parameters.ContainsKey("region") || parameters.ContainsKey("path_style"))
        {
            throw Bad(uri, "region= and path_style= apply to s3:// destinations only");
        }
    }

    private static (string Head, string Tail) SplitFirst(string text)
    {
        text = text.TrimStart('/');
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (text, "") : (text[..slash], ObjectKeys.Join(Uri.UnescapeDataString(text[(slash + 1)..])));
    }

    private static Dictionary<string, string> ParseQuery(string uri, string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (name is "sig" or "sv" or "se" or "sp")
            {
                result[name] = value;
                continue;
            }

            if (!KnownParameters.Contains(name))
            {
                throw Bad(uri, $"unknown query parameter '{name}' (known: {string.Join(", ", KnownParameters)}; secrets come from the environment, never the URI)");
            }

            result[name] = value;
        }

        if (result.ContainsKey("sig"))
        {
            throw Bad(uri, "it carries a SAS signature; secrets must not appear on a command line — set AZURE_STORAGE_SAS_TOKEN instead");
        }

        return result;
    }

    private static Uri? EndpointOf(string uri, Dictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("endpoint", out var text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw Bad(uri, $"endpoint '{text}' is not an http(s) URL");
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw Bad(uri, "the endpoint carries credentials; secrets come from the environment, never the URI");
        }

        return endpoint;
    }

    private static bool BoolOf(string uri, Dictionary<string, string> parameters, string name)
    {
        if (!parameters.TryGetValue(name, out var text))
        {
            return false;
        }

        return text.ToLower(CultureInfo.InvariantCulture) switch
        {
            "true" or "1" or "yes" or "" => true,
            "false" or "0" or "no" => false,
            _ => throw Bad(uri, $"{name}={text} is not true or false"),
        };
    }

    private static BinlogArchiveException Bad(string uri, string why) =>
        new("InvalidStoreUri", ErrorKind.InvalidArgument, $"'{uri}' is not a usable destination: {why}.", uri,
            "Use a path, file:///path, s3://bucket/prefix[?endpoint=URL&region=R&path_style=true] or azblob://account/container/prefix[?endpoint=URL].");
}
