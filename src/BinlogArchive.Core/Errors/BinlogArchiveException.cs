namespace BinlogArchive.Core.Errors;

/// <summary>
/// Every failure the engine reports on purpose. <see cref="ErrorId"/> is stable (scripts match
/// on it); <see cref="RecommendedAction"/> tells the operator what to do next.
/// </summary>
public class BinlogArchiveException : Exception
{
    public BinlogArchiveException(string errorId, ErrorKind kind, string message,
        string? target = null, string? recommendedAction = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>The file, URI or object the error is about.</summary>
    public string? Target { get; }

    public string? RecommendedAction { get; }
}
