using System.Buffers;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.IO;

namespace BinlogArchive.Core.Storage.S3;

/// <summary>
/// S3 (and S3-compatible servers) through AWSSDK.S3. Credentials come from the SDK's default
/// chain; <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c> apply when the URI has no endpoint=.
/// Uploads are never chunk-encoded and carry Content-MD5: S3-compatible servers such as s3rver
/// store aws-chunked framing inside the object otherwise. Large files go multipart, resumable from
/// part ETags we persist ourselves (ListParts is not available everywhere).
/// </summary>
internal sealed class S3ArchiveStore : IArchiveStore
{
    private const string ShaMetadata = "sha256";

    /// <summary>Reads up to this size are buffered (and so retried whole); larger ones stream.</summary>
    private const long SmallObjectLimit = 8L << 20;

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly StoreOptions _options;
    private readonly UploadStateStore _states;
    private readonly string _endpointText;

    private S3ArchiveStore(IAmazonS3 client, StoreLocation location, StoreOptions options, string endpointText)
    {
        _client = client;
        _bucket = location.Container!;
        _prefix = location.Prefix;
        _options = options;
        _states = new UploadStateStore(options.StateDirectory);
        _endpointText = endpointText;
        Uri = location.Original;
    }

    public string Uri { get; }

    public static S3ArchiveStore Create(StoreLocation location, StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            Timeout = options.RequestTimeout,
            // We retry ourselves (bounded, jittered, resumable); SDK retries on top would multiply.
            MaxErrorRetry = 0,
            // The SDK 4 defaults add CRC32 trailers in aws-chunked bodies; S3-compatible servers
            // mangle those. Content-MD5 (set per request) is the integrity check every server knows.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var endpoint = location.Endpoint?.ToString()
            ?? Env("AWS_ENDPOINT_URL_S3")
            ?? Env("AWS_ENDPOINT_URL");
        var region = location.Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION");
        string endpointText;
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
            config.ForcePathStyle = location.PathStyle;
            endpointText = endpoint;
        }
        else
        {
            if (region is not null)
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            }

            config.ForcePathStyle = location.PathStyle;
            endpointText = "AWS S3" + (region is null ? "" : $" ({region})");
        }

        try
        {
            return new S3ArchiveStore(new AmazonS3Client(config), location, options, endpointText);
        }
        catch (AmazonClientException ex)
        {
            throw new BinlogArchiveException("StoreCredentialsMissing", ErrorKind.PermissionDenied,
                $"{location.Original}: no usable AWS credentials or region: {ex.Message}", location.Original,
                "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (and AWS_REGION or region=), or run where an instance role applies.", ex);
        }
    }

    public string UriFor(string key) => $"s3://{_bucket}/{Full(key)}";

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Run(key, ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = Full(key) }, ct),
                cancellationToken).ConfigureAwait(false);
            return Describe(key, response.ContentLength, response.ETag, response.LastModified, response.Metadata);
        }
        catch (BinlogArchiveException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s3 && s3.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    }

    public async Task<StoredObject> PutFileAsync(string key, string localPath, PutOptions options, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(localPath);
        if (file.Length >= _options.MultipartThreshold && file.Length > _options.PartSize)
        {
            return await PutMultipartAsync(key, file, options, cancellationToken).ConfigureAwait(false);
        }

        var content = await File.ReadAllBytesAsync(localPath, cancellationToken).ConfigureAwait(false);
        return await PutBytesAsync(key, content, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredObject> PutBytesAsync(string key, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        var bytes = content.ToArray();
        var sha = options.Sha256 ?? Hex.Lower(SHA256.HashData(bytes));
        var md5 = Convert.ToBase64String(MD5.HashData(bytes));
        await Run(key, ct =>
        {
            var request = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = Full(key),
                InputStream = new MemoryStream(bytes, writable: false),
                MD5Digest = md5,
                UseChunkEncoding = false,
                ContentType = options.ContentType,
            };
            request.Metadata.Add(ShaMetadata, sha);
            ApplyCondition(request, options.Condition);
            return _client.PutObjectAsync(request, ct);
        }, cancellationToken, options.Condition).ConfigureAwait(false);
        return await HeadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw Unavailable(key, "the object is missing right after a successful PUT", null);
    }

    public async Task<OpenedObject?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        if (length == 0)
        {
            var head = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
            return head is null ? null : new OpenedObject(head, new MemoryStream([], writable: false));
        }

        try
        {
            // Small objects (catalogs, sidecars) are read whole inside the retry: the SDK checks
            // the body's MD5 against the ETag only at the end of the stream, and a torn read (a GET
            // racing a PUT on servers without atomic replace, such as s3rver) must be retried, not
            // surface halfway through a caller's parse.
            var (response, buffered) = await Run(key, async ct =>
            {
                var request = new GetObjectRequest { BucketName = _bucket, Key = Full(key) };
                if (offset > 0 || length is not null)
                {
                    request.ByteRange = length is { } l ? new ByteRange(offset, offset + l - 1) : new ByteRange($"bytes={offset}-");
                }

                var got = await _client.GetObjectAsync(request, ct).ConfigureAwait(false);
                if (got.ContentLength > SmallObjectLimit)
                {
                    return (got, (Stream?)null);
                }

                using (got)
                {
                    var memory = new MemoryStream();
                    await got.ResponseStream.CopyToAsync(memory, ct).ConfigureAwait(false);
                    memory.Position = 0;
                    return (got, (Stream?)memory);
                }
            }, cancellationToken).ConfigureAwait(false);
            var total = response.ContentLength;
            var range = response.ContentRange;
            if (!string.IsNullOrEmpty(range) && range.LastIndexOf('/') is var slash and >= 0
                && long.TryParse(range[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
            {
                total = whole;
            }

            return new OpenedObject(Describe(key, total, response.ETag, response.LastModified, response.Metadata), buffered ?? response.ResponseStream);
        }
        catch (BinlogArchiveException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s3 && s3.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        var rootPrefix = ObjectKeys.AsDirectoryPrefix(_prefix);
        do
        {
            var response = await Run(prefix, ct => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _bucket,
                Prefix = rootPrefix + prefix,
                ContinuationToken = token,
            }, ct), cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                // Listing carries no user metadata: sha256 stays null here (a HEAD has it).
                yield return new StoredObject(o.Key[rootPrefix.Length..], o.Size ?? 0, o.ETag, o.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : default, null);
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await Run(key, ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = Full(key) }, ct), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        await Run("", ct => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = ObjectKeys.AsDirectoryPrefix(_prefix), MaxKeys = 1 }, ct),
            cancellationToken).ConfigureAwait(false);
        return ["write permission (S3 proves it only by writing)"];
    }

    public void Dispose() => _client.Dispose();

    private async Task<StoredObject> PutMultipartAsync(string key, FileInfo file, PutOptions options, CancellationToken cancellationToken)
    {
        var full = Full(key);
        var partSize = _options.PartSize;
        var sha = options.Sha256 ?? await FileSha256.OfAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        var state = _states.Load(Uri, full);
        if (state is not null && !(state.Matches(file, partSize) && state.Sha256 == sha))
        {
            // The file changed since that upload began: its parts are useless.
            await TryAbortAsync(full, state.UploadId).ConfigureAwait(false);
            _states.Delete(Uri, full);
            state = null;
        }

        if (state is null)
        {
            var created = await Run(key, ct =>
            {
                var request = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = full, ContentType = options.ContentType };
                request.Metadata.Add(ShaMetadata, sha);
                return _client.InitiateMultipartUploadAsync(request, ct);
            }, cancellationToken).ConfigureAwait(false);
            state = new MultipartUploadState
            {
                Destination = Uri, Key = full, LocalPath = file.FullName, FileSize = file.Length,
                FileMtimeTicks = file.LastWriteTimeUtc.Ticks, PartSize = partSize, UploadId = created.UploadId,
                Sha256 = sha, StartedAt = DateTimeOffset.UtcNow,
            };
            _states.Save(Uri, full, state);
        }

        var partCount = (int)((file.Length + partSize - 1) / partSize);
        var saveLock = new object();
        var confirmed = state.Parts.Select(p => p.Number).ToHashSet();
        var pending = Enumerable.Range(1, partCount).Where(n => !confirmed.Contains(n)).ToList();
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
                async (number, ct) =>
                {
                    var offset = (number - 1) * partSize;
                    var size = (int)Math.Min(partSize, file.Length - offset);
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        await using (var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
                        {
                            source.Position = offset;
                            await source.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                        }

                        var md5 = Convert.ToBase64String(MD5.HashData(buffer.AsSpan(0, size)));
                        var response = await Run(key, async c => RequireETag(await _client.UploadPartAsync(new UploadPartRequest
                        {
                            BucketName = _bucket,
                            Key = full,
                            UploadId = state.UploadId,
                            PartNumber = number,
                            InputStream = new MemoryStream(buffer, 0, size, writable: false),
                            PartSize = size,
                            MD5Digest = md5,
                            UseChunkEncoding = false,
                            IsLastPart = number == partCount,
                        }, c).ConfigureAwait(false), number), ct).ConfigureAwait(false);
                        lock (saveLock)
                        {
                            state.Parts.Add(new ConfirmedPart(number, response.ETag, size));
                            _states.Save(Uri, full, state);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }).ConfigureAwait(false);

            await Run(key, ct =>
            {
                var request = new CompleteMultipartUploadRequest { BucketName = _bucket, Key = full, UploadId = state.UploadId };
                request.AddPartETags(state.Parts.OrderBy(p => p.Number).Select(p => new PartETag(p.Number, p.ETag)));
                if (options.Condition.IfNoneExistsSet)
                {
                    request.IfNoneMatch = "*";
                }
                else if (options.Condition.IfMatchETag is { } etag)
                {
                    request.IfMatch = etag;
                }

                return _client.CompleteMultipartUploadAsync(request, ct);
            }, cancellationToken, options.Condition).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFinal(ex))
        {
            // A refusal that a rerun cannot cure (bad credentials, lost upload, lost race): give
            // the server its space back and start fresh next time.
            await TryAbortAsync(full, state.UploadId).ConfigureAwait(false);
            _states.Delete(Uri, full);
            throw;
        }

        _states.Delete(Uri, full);
        return await HeadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw Unavailable(key, "the object is missing right after the multipart upload completed", null);
    }

    /// <summary>
    /// A part is confirmed only by an ETag. A broken middlebox can turn a reset connection into an
    /// empty 200 (HttpListener does); the SDK then reports success without one, which must count as a failure.
    /// </summary>
    private static UploadPartResponse RequireETag(UploadPartResponse response, int number) =>
        string.IsNullOrEmpty(response.ETag) ? throw new IOException($"part {number}: the server answered without an ETag") : response;

    /// <summary>Errors after which the saved upload is worthless; transient ones keep it for the rerun.</summary>
    private static bool IsFinal(Exception ex) => ex switch
    {
        StorePreconditionFailedException => true,
        BinlogArchiveException { Kind: ErrorKind.PermissionDenied or ErrorKind.ObjectNotFound } => true,
        BinlogArchiveException { InnerException: AmazonS3Exception { ErrorCode: "NoSuchUpload" or "InvalidPart" or "InvalidPartOrder" } } => true,
        _ => false,
    };

    private async Task TryAbortAsync(string full, string uploadId)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = full, UploadId = uploadId }, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or OperationCanceledException or IOException)
        {
            // Best effort: some S3-compatible servers do not implement abort (s3rver answers 405),
            // and a bucket lifecycle rule cleans incomplete uploads on AWS.
        }
    }

    private static void ApplyCondition(PutObjectRequest request, PutCondition condition)
    {
        if (condition.IfNoneExistsSet)
        {
            request.IfNoneMatch = "*";
        }
        else if (condition.IfMatchETag is { } etag)
        {
            request.IfMatch = etag;
        }
    }

    private static StoredObject Describe(string key, long? size, string etag, DateTime? lastModified, MetadataCollection metadata)
    {
        var sha = metadata.Keys.Contains("x-amz-meta-" + ShaMetadata) ? metadata[ShaMetadata] : null;
        return new StoredObject(key, size ?? 0, etag, lastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : default, sha);
    }

    private string Full(string key)
    {
        ObjectKeys.Validate(key);
        return ObjectKeys.Join(_prefix, key);
    }

    /// <summary>One request under the retry policy, with every final failure turned into an error that names the object and the cause.</summary>
    private async Task<T> Run<T>(string key, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken, PutCondition? condition = null)
    {
        try
        {
            return await _options.Retry.ExecuteAsync(action, IsTransient, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed || ex.ErrorCode is "PreconditionFailed" or "ConditionalRequestConflict")
        {
            throw new StorePreconditionFailedException(UriFor(key), condition ?? PutCondition.None, ex);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            throw new BinlogArchiveException("StoreNotFound", ErrorKind.ObjectNotFound,
                $"{Uri}: the bucket '{_bucket}' does not exist at {_endpointText}.", Uri, "Create the bucket, or fix the bucket name in the URI.", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden || ex.ErrorCode is "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied")
        {
            throw new BinlogArchiveException("StoreAccessDenied", ErrorKind.PermissionDenied,
                $"{UriFor(key)}: {_endpointText} refused the request ({ex.ErrorCode}): {ex.Message}", Uri,
                "Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and the bucket policy.", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BinlogArchiveException("StoreObjectNotFound", ErrorKind.ObjectNotFound,
                $"{UriFor(key)}: not found ({ex.ErrorCode}).", UriFor(key), null, ex);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BadDigest" or "InvalidDigest")
        {
            throw new BinlogArchiveException("StoreChecksumRejected", ErrorKind.WriteError,
                $"{UriFor(key)}: {_endpointText} rejected the upload's Content-MD5 ({ex.ErrorCode}) on every try: the bytes were damaged in transit.", UriFor(key),
                "Check the network path (proxies, NICs) and send again.", ex);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or ArgumentOutOfRangeException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(key, TransientErrors.Describe(ex), ex);
        }
    }

    private bool IsTransient(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is AmazonServiceException service)
        {
            var status = (int)service.StatusCode;
            // 400 BadDigest: the part's bytes changed on the way; a resend reads them again.
            if (status >= 500 || status == 429 || service.ErrorCode is "SlowDown" or "RequestTimeout" or "BadDigest" or "InternalError"
                || service.ErrorCode is "RequestTimeTooSkewed" or "Throttling")
            {
                return true;
            }

            if (status is >= 400 and < 500)
            {
                return false;
            }
        }

        // s3rver writes an object's bytes and its metadata separately; a GET racing a PUT of the
        // same key can see an empty ETag, which the SDK's response MD5 check cannot parse.
        if (ex is ArgumentOutOfRangeException { ParamName: "hex" })
        {
            return true;
        }

        // The SDK's end-of-body MD5 check failed: the bytes we got are not the object's (a torn
        // read or damage in transit). Reading again is the cure.
        if (ex is AmazonClientException { InnerException: null } client && client.Message.Contains("hash", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return TransientErrors.IsNetwork(ex, cancellationToken);
    }

    private BinlogArchiveException Unavailable(string key, string cause, Exception? inner)
    {
        var connection = inner is not null && TransientErrors.IsNetwork(inner, CancellationToken.None) && inner is not AmazonServiceException { StatusCode: > 0 };
        return new BinlogArchiveException(connection ? "StoreUnreachable" : "StoreUnavailable", connection ? ErrorKind.ConnectionError : ErrorKind.ResourceUnavailable,
            $"{UriFor(key)}: {(connection ? "cannot reach " : "request failed at ")}{_endpointText}: {cause}", Uri,
            connection ? "Check the endpoint, DNS and network; the upload resumes from the last confirmed part on the next run." : "Retry later; the upload resumes from the last confirmed part.", inner);
    }

    private static string? Env(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
