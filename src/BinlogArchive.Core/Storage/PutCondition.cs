namespace BinlogArchive.Core.Storage;

/// <summary>
/// A precondition on a put, with HTTP's meaning: <see cref="IfNoneExists"/> is <c>If-None-Match: *</c>
/// (create only), <see cref="IfMatch"/> replaces only the version whose ETag we read. A failed
/// precondition raises <see cref="StorePreconditionFailedException"/>.
/// </summary>
public sealed record PutCondition
{
    private PutCondition(bool ifNoneExists, string? ifMatch)
    {
        IfNoneExistsSet = ifNoneExists;
        IfMatchETag = ifMatch;
    }

    public static PutCondition None { get; } = new(false, null);

    public static PutCondition IfNoneExists { get; } = new(true, null);

    public bool IfNoneExistsSet { get; }

    public string? IfMatchETag { get; }

    public bool IsNone => !IfNoneExistsSet && IfMatchETag is null;

    public static PutCondition IfMatch(string etag) => new(false, etag ?? throw new ArgumentNullException(nameof(etag)));

    public override string ToString() => IfNoneExistsSet ? "If-None-Match: *" : IfMatchETag is { } e ? $"If-Match: {e}" : "unconditional";
}
