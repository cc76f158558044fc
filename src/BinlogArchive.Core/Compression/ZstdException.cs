using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Compression;

/// <summary>A failure reported by libzstd, or a compressed stream that ends early.</summary>
public sealed class ZstdException : BinlogArchiveException
{
    public const string StreamIncompleteId = "ZstdStreamIncomplete";
    public const string ErrorIdGeneric = "ZstdError";
    public const string LibraryMissingId = "ZstdLibraryMissing";

    public ZstdException(string errorId, ErrorKind kind, string message, string? recommendedAction = null)
        : base(errorId, kind, message, null, recommendedAction)
    {
    }
}
