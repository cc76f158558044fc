namespace BinlogArchive.Core.Storage.Catalog;

/// <summary><c>[&lt;tenant&gt;/]&lt;server&gt;/catalog.json</c> (ARCHITECTURE.md §6): every archived file of one server, by sequence.</summary>
public sealed record CatalogDocument
{
    public int Schema { get; init; } = 1;

    public required string Server { get; init; }

    public string? UpdatedAt { get; init; }

    public List<CatalogEntry> Files { get; init; } = [];
}
