using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Storage.AzureBlob;

/// <summary>
/// Azure Blob Storage over its REST API (Azure.Storage.Blobs is not in the package mirror). Small
/// objects go as one Put Blob; large ones as block blobs: Put Block (Content-MD5 each) then Put
/// Block List. Block ids are derived from the content's hash and the block index, so a rerun asks
/// Get Block List which blocks the service already holds (uncommitted blocks live a week) and
/// sends only the rest — no local state needed.
/// </summary>
internal sealed class AzureBlobArchiveStore : IArchiveStore
{
    private const string ApiVersion = "2021-08-06";
    private const string ShaMetadata = "x-ms-meta-sha256";
    private static readonly string[] StorageScope = ["https://storage.azure.com/.default"];

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _container;
    private readonly string _prefix;
    private readonly StoreOptions _options;
    private readonly AzureCredentials _credentials;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private global::Azure.Identity.DefaultAzureCredential? _entra;
    private global::Azure.Core.AccessToken? _token;

    private AzureBlobArchiveStore(StoreLocation location, StoreOptions options, AzureCredentials credentials, Uri baseUri)
    {
        _container = location.Container!;
        _prefix = location.Prefix;
        _options = options;
        _credentials = credentials;
        _base = baseUri;
        Uri = location.Original;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(15) })
        {
            // Per-request timeouts come from StoreOptions through a linked token.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Uri { get; }

    public static AzureBlobArchiveStore Create(StoreLocation location, StoreOptions options)
    {
        var credentials = AzureCredentials.FromEnvironment(location.Account!, location.Original);
        var baseUri = location.Endpoint ?? credentials.BlobEndpoint ?? new Uri($"https://{location.Account}.blob.core.windows.net");
        return new AzureBlobArchiveStore(location, options, credentials, baseUri);
    }

    public string UriFor(string key) => $"{_base.ToString().TrimEnd('/')}/{_container}/{Full(key)}";

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(key, () => new HttpRequestMessage(HttpMethod.Head, BlobUri(key)), cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return response is null ? null : Describe(key, response, response.Content.Headers.ContentLength ?? 0);
    }

    public async Task<StoredObject> PutFileAsync(string key, string localPath, PutOptions options, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(localPath);
        if (file.Length >= _options.MultipartThreshold && file.Length > _options.PartSize)
        {
            return await PutBlocksAsync(key, file, options, cancellationToken).ConfigureAwait(false);
        }

        var content = await File.ReadAllBytesAsync(localPath, cancellationToken).ConfigureAwait(false);
        return await PutBytesAsync(key, content, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredObject> PutBytesAsync(string key, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        var bytes = content.ToArray();
        var sha = options.Sha256 ?? Hex.Lower(SHA256.HashData(bytes));
        var md5 = MD5.HashData(bytes);
        using var response = await SendAsync(key, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, BlobUri(key)) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentMD5 = md5;
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(options.ContentType);
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
            request.Headers.Add(ShaMetadata, sha);
            ApplyCondition(request, options.Condition);
            return request;
        }, cancellationToken, condition: options.Condition).ConfigureAwait(false);
        return await HeadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw Unavailable(key, "the blob is missing right after a successful Put Blob", null);
    }

    public async Task<OpenedObject?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        if (length == 0)
        {
            var head = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
            return head is null ? null : new OpenedObject(head, new MemoryStream([], writable: false));
        }

        var response = await SendAsync(key, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, BlobUri(key));
            if (offset > 0 || length is not null)
            {
                request.Headers.Add("x-ms-range", length is { } l
                    ? string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-{offset + l - 1}")
                    : string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-"));
            }

            return request;
        }, cancellationToken, notFoundIsNull: true, streaming: true).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        var total = response.Content.Headers.ContentRange?.Length ?? response.Content.Headers.ContentLength ?? 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new OpenedObject(Describe(key, response, total), stream);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rootPrefix = ObjectKeys.AsDirectoryPrefix(_prefix);
        string? marker = null;
        do
        {
            var query = $"restype=container&comp=list&include=metadata&prefix={System.Uri.EscapeDataString(rootPrefix + prefix)}"
                + (marker is null ? "" : "&marker=" + System.Uri.EscapeDataString(marker));
            XDocument doc;
            using (var response = await SendAsync(prefix, () => new HttpRequestMessage(HttpMethod.Get, ContainerUri(query)), cancellationToken).ConfigureAwait(false))
            {
                doc = XDocument.Parse(await response!.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }

            foreach (var blob in doc.Descendants("Blob"))
            {
                var name = (string?)blob.Element("Name") ?? "";
                var props = blob.Element("Properties");
                var size = long.Parse((string?)props?.Element("Content-Length") ?? "0", CultureInfo.InvariantCulture);
                var etag = (string?)props?.Element("Etag") ?? "";
                var modified = DateTimeOffset.TryParse((string?)props?.Element("Last-Modified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var m) ? m : default;
                var sha = (string?)blob.Element("Metadata")?.Element("sha256");
                yield return new StoredObject(name[rootPrefix.Length..], size, Quote(etag), modified, sha);
            }

            marker = (string?)doc.Root?.Element("NextMarker");
            if (string.IsNullOrEmpty(marker))
            {
                marker = null;
            }
        }
        while (marker is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(key, () => new HttpRequestMessage(HttpMethod.Delete, BlobUri(key)), cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        // Listing at most one blob proves the container exists and our credentials may read it.
        using var response = await SendAsync("", () => new HttpRequestMessage(HttpMethod.Get, ContainerUri("restype=container&comp=list&maxresults=1")), cancellationToken).ConfigureAwait(false);
        return ["write permission (Azure proves it only by writing)"];
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenLock.Dispose();
    }

    private async Task<StoredObject> PutBlocksAsync(string key, FileInfo file, PutOptions options, CancellationToken cancellationToken)
    {
        var partSize = _options.PartSize;
        var sha = options.Sha256 ?? await FileSha256.OfAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        var count = (int)((file.Length + partSize - 1) / partSize);
        // Same content + same block size => same ids, so blocks staged by an interrupted run are
        // recognised; different content never matches. Every id of a blob must have one length.
        var idPrefix = Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{sha}:{file.Length}:{partSize}"))))[..16];
        var ids = Enumerable.Range(0, count)
            .Select(i => Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{idPrefix}-{i:D6}"))))
            .ToArray();

        var staged = await StagedBlocksAsync(key, cancellationToken).ConfigureAwait(false);
        var pending = Enumerable.Range(0, count)
            .Where(i => !(staged.TryGetValue(ids[i], out var size) && size == Math.Min(partSize, file.Length - (i * partSize))))
            .ToList();

        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var offset = index * partSize;
                var size = (int)Math.Min(partSize, file.Length - offset);
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    await using (var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
                    {
                        source.Position = offset;
                        await source.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                    }

                    var md5 = MD5.HashData(buffer.AsSpan(0, size));
                    using var response = await SendAsync(key, () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Put, BlobUri(key, $"comp=block&blockid={System.Uri.EscapeDataString(ids[index])}"))
                        {
                            Content = new ByteArrayContent(buffer, 0, size),
                        };
                        request.Content.Headers.ContentMD5 = md5;
                        return request;
                    }, ct).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }).ConfigureAwait(false);

        var body = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("BlockList", ids.Select(id => new XElement("Latest", id))));
        var bodyBytes = Encoding.UTF8.GetBytes(body.Declaration + body.ToString(SaveOptions.DisableFormatting));
        using (var commit = await SendAsync(key, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, BlobUri(key, "comp=blocklist")) { Content = new ByteArrayContent(bodyBytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            request.Headers.Add("x-ms-blob-content-type", options.ContentType);
            request.Headers.Add(ShaMetadata, sha);
            ApplyCondition(request, options.Condition);
            return request;
        }, cancellationToken, condition: options.Condition).ConfigureAwait(false))
        {
        }

        return await HeadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw Unavailable(key, "the blob is missing right after Put Block List", null);
    }

    /// <summary>Uncommitted blocks the service holds for this blob (id → size); empty when there is no blob yet.</summary>
    private async Task<Dictionary<string, long>> StagedBlocksAsync(string key, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        using var response = await SendAsync(key, () => new HttpRequestMessage(HttpMethod.Get, BlobUri(key, "comp=blocklist&blocklisttype=uncommitted")),
            cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        if (response is null)
        {
            return result;
        }

        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        foreach (var block in doc.Root?.Element("UncommittedBlocks")?.Elements("Block") ?? [])
        {
            if ((string?)block.Element("Name") is { } name && long.TryParse((string?)block.Element("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                result[name] = size;
            }
        }

        return result;
    }

    private static void ApplyCondition(HttpRequestMessage request, PutCondition condition)
    {
        if (condition.IfNoneExistsSet)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        }
        else if (condition.IfMatchETag is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
    }

    private static StoredObject Describe(string key, HttpResponseMessage response, long size)
    {
        var etag = response.Headers.ETag?.ToString() ?? (response.Headers.TryGetValues("ETag", out var e) ? e.First() : "");
        var modified = response.Content.Headers.LastModified ?? default;
        var sha = response.Headers.TryGetValues(ShaMetadata, out var s) ? s.FirstOrDefault() : null;
        return new StoredObject(key, size, etag, modified, sha);
    }

    private static string Quote(string etag) => etag.StartsWith('"') ? etag : "\"" + etag + "\"";

    private string Full(string key)
    {
        ObjectKeys.Validate(key);
        return ObjectKeys.Join(_prefix, key);
    }

    private Uri BlobUri(string key, string? query = null) =>
        WithSas($"{_base.ToString().TrimEnd('/')}/{_container}/{string.Join('/', Full(key).Split('/').Select(System.Uri.EscapeDataString))}", query);

    private Uri ContainerUri(string query) => WithSas($"{_base.ToString().TrimEnd('/')}/{_container}", query);

    private Uri WithSas(string path, string? query)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(query))
        {
            parts.Add(query);
        }

        if (_credentials.Mode == AzureAuthMode.Sas)
        {
            parts.Add(_credentials.SasQuery!);
        }

        return new Uri(parts.Count == 0 ? path : path + "?" + string.Join('&', parts));
    }

    /// <summary>
    /// One request under the retry policy. Returns null for a 404 when <paramref name="notFoundIsNull"/>
    /// (the blob is absent; a missing container is always an error). Every other failure becomes an
    /// error naming the blob and the cause.
    /// </summary>
    private async Task<HttpResponseMessage?> SendAsync(string key, Func<HttpRequestMessage> build, CancellationToken cancellationToken,
        bool notFoundIsNull = false, bool streaming = false, PutCondition? condition = null)
    {
        var target = key.Length == 0 ? Uri : $"{_base.ToString().TrimEnd('/')}/{_container}/{ObjectKeys.Join(_prefix, key)}";
        try
        {
            return await _options.Retry.ExecuteAsync(async ct =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.RequestTimeout);
                using var request = build();
                await AuthorizeAsync(request, ct).ConfigureAwait(false);
                var response = await _http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                using (response)
                {
                    var code = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.FirstOrDefault() : null;
                    var text = request.Method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    var message = text.Length == 0 ? response.ReasonPhrase ?? "" : (TryMessage(text) ?? text);
                    if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsNull && code is not "ContainerNotFound")
                    {
                        return null;
                    }

                    throw new AzureRequestException(response.StatusCode, code, message);
                }
            }, (ex, ct) => ex is AzureRequestException { IsTransient: true } || TransientErrors.IsNetwork(ex, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AzureRequestException ex)
        {
            throw ex switch
            {
                { Status: HttpStatusCode.PreconditionFailed } or { Status: HttpStatusCode.Conflict, ErrorCode: "BlobAlreadyExists" }
                    => new StorePreconditionFailedException(target, condition ?? PutCondition.None, ex),
                { ErrorCode: "ContainerNotFound" } => new BinlogArchiveException("StoreNotFound", ErrorKind.ObjectNotFound,
                    $"{Uri}: the container '{_container}' does not exist at {_base}.", Uri, "Create the container, or fix its name in the URI.", ex),
                { Status: HttpStatusCode.Forbidden } => new BinlogArchiveException("StoreAccessDenied", ErrorKind.PermissionDenied,
                    $"{target}: {_base} refused our {_credentials.Mode} credentials ({ex.ErrorCode ?? "403"}): {ex.Message}", Uri,
                    "Check AZURE_STORAGE_CONNECTION_STRING / AZURE_STORAGE_KEY / AZURE_STORAGE_SAS_TOKEN (expiry and permissions) or the Entra ID role assignment.", ex),
                { IsChecksumMismatch: true } => new BinlogArchiveException("StoreChecksumRejected", ErrorKind.WriteError,
                    $"{target}: the service rejected the Content-MD5 on every try: the bytes were damaged in transit.", target, "Check the network path and send again.", ex),
                { Status: HttpStatusCode.NotFound } => new BinlogArchiveException("StoreObjectNotFound", ErrorKind.ObjectNotFound, $"{target}: not found ({ex.ErrorCode}).", target, null, ex),
                _ => Unavailable(key, ex.Message, ex),
            };
        }
        catch (Exception ex) when (TransientErrors.IsNetwork(ex, cancellationToken))
        {
            throw Unavailable(key, TransientErrors.Describe(ex), ex);
        }
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("x-ms-version", ApiVersion);
        request.Headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        switch (_credentials.Mode)
        {
            case AzureAuthMode.SharedKey:
                SharedKeySigner.Sign(request, _credentials.AccountName!, _credentials.Key!);
                break;
            case AzureAuthMode.EntraId:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken).ConfigureAwait(false));
                break;
            case AzureAuthMode.Sas:
                break;
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not { } token || token.ExpiresOn < DateTimeOffset.UtcNow.AddMinutes(5))
            {
                _entra ??= new global::Azure.Identity.DefaultAzureCredential();
                try
                {
                    _token = token = await _entra.GetTokenAsync(new global::Azure.Core.TokenRequestContext(StorageScope), cancellationToken).ConfigureAwait(false);
                }
                catch (global::Azure.Identity.AuthenticationFailedException ex)
                {
                    throw new BinlogArchiveException("StoreCredentialsMissing", ErrorKind.PermissionDenied,
                        $"{Uri}: no Azure credentials: none of AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN is set and Entra ID sign-in failed: {ex.Message}",
                        Uri, "Set one of those variables, or sign in (az login, managed identity, workload identity).", ex);
                }
            }

            return token.Token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private static string? TryMessage(string xml)
    {
        try
        {
            return (string?)XDocument.Parse(xml).Root?.Element("Message");
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private BinlogArchiveException Unavailable(string key, string cause, Exception? inner)
    {
        var connection = inner is not null and not AzureRequestException && TransientErrors.IsNetwork(inner, CancellationToken.None);
        var target = key.Length == 0 ? Uri : $"{_base.ToString().TrimEnd('/')}/{_container}/{ObjectKeys.Join(_prefix, key)}";
        return new BinlogArchiveException(connection ? "StoreUnreachable" : "StoreUnavailable", connection ? ErrorKind.ConnectionError : ErrorKind.ResourceUnavailable,
            $"{target}: {(connection ? "cannot reach" : "request failed at")} {_base}: {cause}", Uri,
            connection ? "Check the endpoint and network; a rerun resumes from the blocks already staged." : "Retry later; a rerun resumes from the blocks already staged.", inner);
    }
}
