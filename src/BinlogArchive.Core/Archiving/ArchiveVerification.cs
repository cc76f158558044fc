namespace BinlogArchive.Core.Archiving;

/// <summary>The verdict on one archive: what was checked, what could not be, and the first failure.</summary>
public sealed record ArchiveVerification
{
    public required string ArchivePath { get; init; }

    public bool Valid { get; init; }

    public string? ErrorId { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<string> Checked { get; init; } = [];

    public IReadOnlyList<string> NotChecked { get; init; } = [];

    public Sidecar? Sidecar { get; init; }
}
