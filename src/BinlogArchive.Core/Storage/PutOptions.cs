namespace BinlogArchive.Core.Storage;

/// <summary>How one object is written.</summary>
public sealed record PutOptions
{
    public static PutOptions Default { get; } = new();

    public PutCondition Condition { get; init; } = PutCondition.None;

    /// <summary>Lower-case hex SHA-256 of the content, stored as object metadata so a HEAD can prove content without a read-back. Computed when null.</summary>
    public string? Sha256 { get; init; }

    public string ContentType { get; init; } = "application/octet-stream";
}
