namespace BinlogArchive.Core.Storage;

/// <summary>Key arithmetic: '/'-joined, no empty, '.' or '..' segments (a key must never climb out of the destination).</summary>
public static class ObjectKeys
{
    public static string Join(params string?[] parts)
    {
        var segments = new List<string>();
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part))
            {
                continue;
            }

            foreach (var s in part.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                segments.Add(s);
            }
        }

        return string.Join('/', segments);
    }

    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.EndsWith('/')
            || key.Split('/').Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{key}' is not a valid object key.", nameof(key));
        }
    }

    /// <summary>A prefix of whole segments ends with '/', or is empty.</summary>
    public static string AsDirectoryPrefix(string? prefix)
    {
        var joined = Join(prefix);
        return joined.Length == 0 ? "" : joined + "/";
    }
}
