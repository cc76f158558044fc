using BinlogArchive.Core.Archiving;

namespace BinlogArchive.Core.Storage.Catalog;

/// <summary>One archived binlog as the catalog lists it: enough to plan a restore without reading any sidecar.</summary>
public sealed record CatalogEntry
{
    public long Sequence { get; init; }

    /// <summary>The source binlog name (mysql-bin.000042).</summary>
    public required string File { get; init; }

    /// <summary>The archive's key relative to the destination root.</summary>
    public required string ArchiveKey { get; init; }

    public string? FirstEventAt { get; init; }

    public string? LastEventAt { get; init; }

    public string? PreviousGtids { get; init; }

    public string? AddedGtids { get; init; }

    public long SourceSize { get; init; }

    public string? SourceSha256 { get; init; }

    public long ArchiveSize { get; init; }

    public string? ArchiveSha256 { get; init; }

    public string? KeyId { get; init; }

    public string? Flavor { get; init; }

    public uint ServerId { get; init; }

    public string? ServerUuid { get; init; }

    public static CatalogEntry FromSidecar(Sidecar sidecar, string archiveKey) => new()
    {
        Sequence = sidecar.Source.Sequence,
        File = sidecar.Source.File,
        ArchiveKey = archiveKey,
        FirstEventAt = sidecar.Source.FirstEventAt,
        LastEventAt = sidecar.Source.LastEventAt,
        PreviousGtids = sidecar.Source.Gtid.Previous,
        AddedGtids = sidecar.Source.Gtid.Added,
        SourceSize = sidecar.Source.Size,
        SourceSha256 = sidecar.Source.Sha256,
        ArchiveSize = sidecar.Archive.Size,
        ArchiveSha256 = sidecar.Archive.Sha256,
        KeyId = sidecar.Archive.Encryption.KeyId,
        Flavor = sidecar.Source.Flavor,
        ServerId = sidecar.Source.ServerId,
        ServerUuid = sidecar.Source.ServerUuid,
    };
}
