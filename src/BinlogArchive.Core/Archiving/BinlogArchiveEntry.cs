using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// One archive and its sidecar: what Protect-Binlog emits and Test-BinlogArchive and
/// Send-BinlogArchive consume (they bind by <see cref="FullName"/>, the archive path).
/// </summary>
public sealed record BinlogArchiveEntry
{
    /// <summary>The archive file (<c>&lt;binlog&gt;.zst.enc</c>).</summary>
    public required string FullName { get; init; }

    public required string Name { get; init; }

    public required string SidecarPath { get; init; }

    public string? SourcePath { get; init; }

    public required string SourceName { get; init; }

    public long Sequence { get; init; }

    public uint ServerId { get; init; }

    public string? ServerUuid { get; init; }

    public BinlogFlavor Flavor { get; init; }

    public DateTimeOffset? FirstEventAt { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    public string? PreviousGtids { get; init; }

    public string? AddedGtids { get; init; }

    public long SourceSize { get; init; }

    public long ArchiveSize { get; init; }

    /// <summary>Source bytes per archive byte.</summary>
    public double Ratio => ArchiveSize == 0 ? 0 : (double)SourceSize / ArchiveSize;

    public string? SourceSha256 { get; init; }

    public string? ArchiveSha256 { get; init; }

    public string? KeyId { get; init; }

    public string? Format { get; init; }

    public int CompressionLevel { get; init; }

    public ArchiveOutcome Outcome { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Source megabytes (10^6) per second of wall time.</summary>
    public double MegabytesPerSecond => Duration.TotalSeconds <= 0 ? 0 : SourceSize / 1e6 / Duration.TotalSeconds;

    /// <summary>Null until Test-BinlogArchive ran.</summary>
    public bool? Verified { get; init; }

    public string? VerifyError { get; init; }

    /// <summary>What verification could not check (e.g. without a key).</summary>
    public IReadOnlyList<string>? NotChecked { get; init; }

    public Sidecar? Sidecar { get; init; }

    public static BinlogArchiveEntry FromSidecar(string archivePath, Sidecar sidecar, ArchiveOutcome outcome, string? sourcePath = null, TimeSpan duration = default) => new()
    {
        FullName = Path.GetFullPath(archivePath),
        Name = Path.GetFileName(archivePath),
        SidecarPath = Sidecar.PathFor(Path.GetFullPath(archivePath)),
        SourcePath = sourcePath,
        SourceName = sidecar.Source.File,
        Sequence = sidecar.Source.Sequence,
        ServerId = sidecar.Source.ServerId,
        ServerUuid = sidecar.Source.ServerUuid,
        Flavor = sidecar.Source.Flavor switch { "mysql" => BinlogFlavor.MySql, "mariadb" => BinlogFlavor.MariaDb, _ => BinlogFlavor.Unknown },
        FirstEventAt = ParseTime(sidecar.Source.FirstEventAt),
        LastEventAt = ParseTime(sidecar.Source.LastEventAt),
        PreviousGtids = sidecar.Source.Gtid.Previous,
        AddedGtids = sidecar.Source.Gtid.Added,
        SourceSize = sidecar.Source.Size,
        ArchiveSize = sidecar.Archive.Size,
        SourceSha256 = sidecar.Source.Sha256,
        ArchiveSha256 = sidecar.Archive.Sha256,
        KeyId = sidecar.Archive.Encryption.KeyId,
        Format = sidecar.Archive.Format,
        CompressionLevel = sidecar.Archive.Compression.Level,
        Outcome = outcome,
        Duration = duration,
        Sidecar = sidecar,
    };

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
