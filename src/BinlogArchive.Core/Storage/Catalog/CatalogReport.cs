namespace BinlogArchive.Core.Storage.Catalog;

/// <summary>What <c>list</c> shows for one server: the files, what is missing, and how far a restore can go.</summary>
public sealed record CatalogReport
{
    public required string Server { get; init; }

    public required string CatalogKey { get; init; }

    public required IReadOnlyList<CatalogEntry> Files { get; init; }

    /// <summary>Sequence numbers missing between the lowest and highest archived one.</summary>
    public required IReadOnlyList<long> MissingSequences { get; init; }

    public required IReadOnlyList<GtidChainBreak> ChainBreaks { get; init; }

    /// <summary>last_event_at of the last file of the unbroken run that starts at the first file (stops before the first gap or chain break).</summary>
    public string? LatestRestorableTime { get; init; }

    public bool HasProblems => MissingSequences.Count > 0 || ChainBreaks.Count > 0;
}
