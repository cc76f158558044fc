namespace BinlogArchive.Core.IO;

/// <summary>Lower-case hex, the form sidecars, key ids and MACs use (net8.0 has no Convert.ToHexStringLower).</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
