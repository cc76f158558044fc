namespace BinlogArchive.Core.Storage;

/// <summary>Lower-case hex, the form sidecars use for digests (net8.0 has no Convert.ToHexStringLower).</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
