namespace BinlogArchive.Core.Storage;

/// <summary>
/// One upload in progress: which file (identified by path, size and mtime so a changed file never
/// resumes into a stale upload), the server's upload id, and the parts the server confirmed.
/// </summary>
public sealed record MultipartUploadState
{
    public required string Destination { get; init; }

    public required string Key { get; init; }

    public required string LocalPath { get; init; }

    public long FileSize { get; init; }

    public long FileMtimeTicks { get; init; }

    public long PartSize { get; init; }

    public required string UploadId { get; init; }

    public string? Sha256 { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public List<ConfirmedPart> Parts { get; init; } = [];

    public bool Matches(FileInfo file, long partSize) =>
        LocalPath == file.FullName && FileSize == file.Length && FileMtimeTicks == file.LastWriteTimeUtc.Ticks && PartSize == partSize;
}
