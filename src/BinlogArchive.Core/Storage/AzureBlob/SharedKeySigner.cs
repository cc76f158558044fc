using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace BinlogArchive.Core.Storage.AzureBlob;

/// <summary>
/// Shared Key authorisation for the Blob service ("Authorize with Shared Key", version 2009-09-19
/// and later): HMAC-SHA256 with the account key over the verb, the standard headers, the
/// canonicalised x-ms-* headers and the canonicalised resource.
/// </summary>
internal static class SharedKeySigner
{
    public static void Sign(HttpRequestMessage request, string account, byte[] key)
    {
        var content = request.Content;
        var length = content?.Headers.ContentLength;
        var headers = request.Headers;
        var text = new StringBuilder();
        text.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        text.Append(ContentHeader(content, "Content-Encoding")).Append('\n');
        text.Append(ContentHeader(content, "Content-Language")).Append('\n');
        // Since version 2015-02-21 a zero length is an empty line.
        text.Append(length is > 0 ? length.Value.ToString(CultureInfo.InvariantCulture) : "").Append('\n');
        text.Append(content?.Headers.ContentMD5 is { } md5 ? Convert.ToBase64String(md5) : "").Append('\n');
        text.Append(content?.Headers.ContentType?.ToString() ?? "").Append('\n');
        text.Append('\n'); // Date: we send x-ms-date instead
        text.Append(Header(headers, "If-Modified-Since")).Append('\n');
        text.Append(Header(headers, "If-Match")).Append('\n');
        text.Append(Header(headers, "If-None-Match")).Append('\n');
        text.Append(Header(headers, "If-Unmodified-Since")).Append('\n');
        text.Append(Header(headers, "Range")).Append('\n');

        foreach (var (name, value) in headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value).Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        var uri = request.RequestUri!;
        text.Append('/').Append(account).Append(uri.AbsolutePath);
        var query = ParseQuery(uri.Query);
        foreach (var name in query.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append(':').Append(string.Join(',', query[name].Order(StringComparer.Ordinal)));
        }

        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text.ToString())));
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", $"{account}:{signature}");
    }

    private static Dictionary<string, List<string>> ParseQuery(string query)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!result.TryGetValue(name, out var list))
            {
                result[name] = list = [];
            }

            list.Add(value);
        }

        return result;
    }

    private static string Header(HttpRequestHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(',', values) : "";

    private static string ContentHeader(HttpContent? content, string name) =>
        content is not null && content.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : "";
}
