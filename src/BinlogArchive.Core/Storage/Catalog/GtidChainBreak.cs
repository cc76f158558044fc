namespace BinlogArchive.Core.Storage.Catalog;

/// <summary>File <see cref="Sequence"/> does not continue file <see cref="Sequence"/>-1: its previous-GTIDs set is not that file's previous ∪ added.</summary>
public sealed record GtidChainBreak(long Sequence, string File, string Expected, string Actual);
