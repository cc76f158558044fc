using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Core.Archiving;

/// <summary>What one pass over a source produced; the archive is still an unpublished temp file.</summary>
internal sealed record ProtectPassResult(
    BinlogFileSummary Summary,
    long SourceSize,
    string SourceSha256,
    long ArchiveSize,
    string ArchiveSha256,
    string KeyId,
    SidecarEncryption Encryption,
    SidecarMacKey MacKey);
