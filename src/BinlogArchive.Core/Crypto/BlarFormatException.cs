using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Crypto;

/// <summary>A BLAR1 archive that cannot be read: each cause has its own stable <see cref="BinlogArchiveException.ErrorId"/>.</summary>
public sealed class BlarFormatException : BinlogArchiveException
{
    public const string BadMagic = "BlarBadMagic";
    public const string UnsupportedVersion = "BlarUnsupportedVersion";
    public const string UnknownAlgorithm = "BlarUnknownAlgorithm";
    public const string CorruptHeader = "BlarCorruptHeader";
    public const string WrongKey = "BlarWrongKey";
    public const string TamperedEnvelope = "BlarTamperedEnvelope";
    public const string TamperedChunk = "BlarTamperedChunk";
    public const string Truncated = "BlarTruncated";
    public const string TrailingData = "BlarTrailingData";
    public const string EmptyFile = "BlarEmptyFile";

    public BlarFormatException(string errorId, ErrorKind kind, string message, string? target,
        string? recommendedAction, long? chunkIndex = null, string? requiredKeyId = null)
        : base(errorId, kind, target is null ? message : $"{target}: {message}", target, recommendedAction)
    {
        ChunkIndex = chunkIndex;
        RequiredKeyId = requiredKeyId;
    }

    /// <summary>The chunk that failed, for <see cref="TamperedChunk"/> (and chunk-level truncation).</summary>
    public long? ChunkIndex { get; }

    /// <summary>For <see cref="WrongKey"/>: the key id the archive header names.</summary>
    public string? RequiredKeyId { get; }

    internal static BlarFormatException Corrupt(string? target, string detail) =>
        new(CorruptHeader, ErrorKind.InvalidData, $"corrupt BLAR1 header: {detail}", target,
            "The archive header is damaged; restore the archive from another copy.");

    internal static BlarFormatException TruncatedAt(string? target, string detail, long? chunk = null) =>
        new(Truncated, ErrorKind.InvalidData, $"archive is truncated: {detail}", target,
            "The archive is incomplete (interrupted upload or copy); fetch it again or restore it from another copy.", chunk);

    internal static BlarFormatException Tampered(string? target, long chunk, string detail) =>
        new(TamperedChunk, ErrorKind.SecurityError, $"chunk {chunk} failed authentication: {detail}", target,
            "The archive was modified or corrupted after it was written; do not trust it, restore it from another copy.", chunk);
}
