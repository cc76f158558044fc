namespace BinlogArchive.Core.Archiving;

/// <summary>How the archive is encrypted. <see cref="Envelope"/> is "direct" or "aes-256-gcm-wrap".</summary>
public sealed record SidecarEncryption
{
    public required string Algorithm { get; init; }

    public int ChunkSize { get; init; }

    public required string KeyId { get; init; }

    public required string Envelope { get; init; }

    /// <summary>Legacy openssl-cbc archives only: PBKDF2 iterations.</summary>
    public int? Iterations { get; init; }

    /// <summary>Legacy openssl-cbc archives only: HMAC-SHA256 of the whole archive file (CBC has no authentication).</summary>
    public string? Hmac { get; init; }
}
