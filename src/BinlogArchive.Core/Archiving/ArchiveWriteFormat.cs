namespace BinlogArchive.Core.Archiving;

public enum ArchiveWriteFormat
{
    /// <summary>zstd + BLAR1 (AES-256-GCM, chunked, authenticated): the default.</summary>
    Blar1,

    /// <summary>zstd + what `openssl enc -aes-256-cbc -salt -pbkdf2` writes, with an HMAC in the sidecar.</summary>
    OpenSslCbc,
}
