namespace BinlogArchive.Core.Crypto;

/// <summary>Recognises BLAR, zstd and openssl-salted files from their first 8 bytes.</summary>
public static class ArchiveFormatDetector
{
    /// <summary>Bytes needed to tell every known format apart.</summary>
    public const int PrefixLength = 8;

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    private static ReadOnlySpan<byte> OpenSslMagic => "Salted__"u8;

    public static ArchiveFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(BlarFormat.Magic))
        {
            return ArchiveFormat.Blar;
        }

        if (head.StartsWith(ZstdMagic))
        {
            return ArchiveFormat.Zstd;
        }

        return head.StartsWith(OpenSslMagic) ? ArchiveFormat.OpenSslSalted : ArchiveFormat.Unknown;
    }

    /// <summary>Reads the first bytes of a file and classifies it.</summary>
    public static ArchiveFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[PrefixLength];
        using var file = File.OpenRead(path);
        var got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Detect(head[..got]);
    }

    internal static string Describe(ReadOnlySpan<byte> head) => Detect(head) switch
    {
        ArchiveFormat.Zstd => "a plain zstd frame",
        ArchiveFormat.OpenSslSalted => "an openssl enc file (Salted__)",
        _ => "unrecognised data",
    };
}
