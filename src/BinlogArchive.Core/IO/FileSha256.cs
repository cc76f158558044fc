using System.Security.Cryptography;

namespace BinlogArchive.Core.IO;

/// <summary>SHA-256 (lower-case hex) of a local file, read asynchronously.</summary>
internal static class FileSha256
{
    public static async Task<string> OfAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Hex.Lower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
