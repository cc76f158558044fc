using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BinlogArchive.Tests.Integration.Storage;

/// <summary>What the proxy does to one request.</summary>
internal enum Fault
{
    None,

    /// <summary>Read part of the body, then reset the connection.</summary>
    Drop,

    /// <summary>Answer 503 SlowDown / ServerBusy without forwarding.</summary>
    SlowDown,

    /// <summary>Answer 500 InternalError without forwarding.</summary>
    InternalError,

    /// <summary>Say nothing for a long while, then reset (the client's timeout must fire first).</summary>
    Stall,

    /// <summary>Answer 400 BadDigest (S3) / Md5Mismatch (Azure) without forwarding, as a server does when Content-MD5 does not match.</summary>
    BadDigest,
}

/// <summary>One request as the proxy saw it.</summary>
internal sealed record ProxiedRequest(int Index, string Method, string PathAndQuery, long BodyLength, int Status, Fault Fault);

/// <summary>
/// A small HTTP proxy (Kestrel on 127.0.0.1) in front of a real s3rver or Azurite that can inject
/// faults per request and logs every request, so tests can count what a client (re)sent. Optionally
/// enforces If-Match / If-None-Match on PUT the way AWS S3 does, for servers (s3rver) that ignore them.
/// </summary>
internal sealed class FaultProxy : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Host", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _conditionalLock = new(1, 1);
    private int _index;

    public FaultProxy(string target, bool enforceS3Conditions = false)
    {
        _target = new Uri(target);
        EnforceS3Conditions = enforceS3Conditions;
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Port = new Uri(_app.Urls.First()).Port;
    }

    public int Port { get; }

    /// <summary>The proxy's base URL with the target's path (Azurite's /devstoreaccount1) kept.</summary>
    public string Url => $"http://127.0.0.1:{Port}{_target.AbsolutePath.TrimEnd('/')}";

    public bool EnforceS3Conditions { get; }

    /// <summary>Decides a fault per request; null means none.</summary>
    public Func<ProxiedRequest, Fault>? Rule { get; set; }

    public ConcurrentQueue<ProxiedRequest> Log { get; } = new();

    public IReadOnlyList<ProxiedRequest> Requests => [.. Log];

    private bool IsAzure => _target.AbsolutePath.Trim('/').Length > 0;

    public void Dispose()
    {
        _stop.Cancel();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        _app.StopAsync(stopping.Token).GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var index = Interlocked.Increment(ref _index);
        var pathAndQuery = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var probe = new ProxiedRequest(index, request.Method, pathAndQuery, request.ContentLength ?? 0, 0, Fault.None);
        var fault = Rule?.Invoke(probe) ?? Fault.None;
        if (fault == Fault.Drop)
        {
            // Take some of the body so the client is mid-upload when the connection dies.
            var some = new byte[Math.Min(64 * 1024, Math.Max(1, (request.ContentLength ?? 2) / 2))];
            _ = await request.Body.ReadAsync(some);
            Log.Enqueue(probe with { Fault = fault });
            context.Abort();
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        switch (fault)
        {
            case Fault.Stall:
                Log.Enqueue(probe with { Fault = fault });
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(15), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                context.Abort();
                return;
            case Fault.SlowDown:
                await AnswerAsync(context, probe, fault, 503, IsAzure ? "ServerBusy" : "SlowDown", "Please reduce your request rate.");
                return;
            case Fault.InternalError:
                await AnswerAsync(context, probe, fault, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            case Fault.BadDigest:
                await AnswerAsync(context, probe, fault, 400, IsAzure ? "Md5Mismatch" : "BadDigest", "The Content-MD5 you specified did not match what we received.");
                return;
        }

        var conditional = EnforceS3Conditions && request.Method is "PUT" or "POST"
            && (request.Headers.ContainsKey("If-Match") || request.Headers.ContainsKey("If-None-Match"));
        if (conditional)
        {
            // Serialise conditional writes and check them against the live object, as S3 does.
            await _conditionalLock.WaitAsync();
        }

        try
        {
            if (conditional && !await ConditionHoldsAsync(request, pathAndQuery))
            {
                await AnswerAsync(context, probe, Fault.None, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
                return;
            }

            await ForwardAsync(context, probe, body.ToArray());
        }
        finally
        {
            if (conditional)
            {
                _conditionalLock.Release();
            }
        }
    }

    private async Task<bool> ConditionHoldsAsync(HttpRequest request, string pathAndQuery)
    {
        // An unsigned HEAD: s3rver serves anonymous reads, and only the ETag matters here.
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(_target, pathAndQuery.Split('?')[0]));
        using var current = await _client.SendAsync(head);
        var exists = current.StatusCode == HttpStatusCode.OK;
        var etag = current.Headers.ETag?.ToString();
        if (request.Headers.IfNoneMatch.ToString() == "*")
        {
            return !exists;
        }

        var wanted = request.Headers.IfMatch.ToString();
        return wanted.Length == 0 || (exists && etag == wanted);
    }

    private async Task AnswerAsync(HttpContext context, ProxiedRequest probe, Fault fault, int status, string code, string message)
    {
        Log.Enqueue(probe with { Status = status, Fault = fault });
        var xml = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>";
        var bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        if (IsAzure)
        {
            context.Response.Headers["x-ms-error-code"] = code;
        }

        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private async Task ForwardAsync(HttpContext context, ProxiedRequest probe, byte[] body)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, probe.PathAndQuery));
        // SigV4 signs the Host header: forward the client's, not ours.
        message.Headers.Host = request.Headers.Host.ToString();
        if (body.Length > 0 || request.Method is "PUT" or "POST")
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value.ToArray()))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Log.Enqueue(probe with { Status = (int)response.StatusCode });
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        if (request.Method == "HEAD")
        {
            context.Response.ContentLength = response.Content.Headers.ContentLength;
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
