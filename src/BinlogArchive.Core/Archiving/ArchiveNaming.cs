namespace BinlogArchive.Core.Archiving;

/// <summary>Archive file names: <c>&lt;binlog&gt;.zst.enc</c> (BLAR1) or <c>&lt;binlog&gt;.zst.openssl.enc</c> (legacy CBC).</summary>
public static class ArchiveNaming
{
    public const string Blar1Suffix = ".zst.enc";
    public const string OpenSslSuffix = ".zst.openssl.enc";

    public static string ArchiveName(string sourceName, ArchiveWriteFormat format) =>
        sourceName + (format == ArchiveWriteFormat.OpenSslCbc ? OpenSslSuffix : Blar1Suffix);

    /// <summary>The binlog name an archive file name claims to hold, or null when it has no known suffix.</summary>
    public static string? SourceNameOf(string archiveFileName)
    {
        foreach (var suffix in new[] { OpenSslSuffix, Blar1Suffix, ".zst" })
        {
            if (archiveFileName.EndsWith(suffix, StringComparison.Ordinal) && archiveFileName.Length > suffix.Length)
            {
                return archiveFileName[..^suffix.Length];
            }
        }

        return null;
    }
}
