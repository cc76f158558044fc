namespace BinlogArchive.Core.Crypto;

/// <summary>Settings of one BLAR1 archive.</summary>
public sealed record BlarWriterOptions
{
    /// <summary>The original binlog file name, recorded (and authenticated) in the header.</summary>
    public required string SourceName { get; init; }

    /// <summary>What the plaintext written into the container is; informs the reader.</summary>
    public BlarCompression Compression { get; init; } = BlarCompression.Zstd;

    /// <summary>Plaintext bytes per chunk, 4 KiB..64 MiB.</summary>
    public int ChunkSize { get; init; } = BlarFormat.DefaultChunkSize;

    public BlarKeyMode KeyMode { get; init; } = BlarKeyMode.Envelope;

    public const int DefaultChunkSize = BlarFormat.DefaultChunkSize;

    public const int MinChunkSize = BlarFormat.MinChunkSize;

    public const int MaxChunkSize = BlarFormat.MaxChunkSize;
}
