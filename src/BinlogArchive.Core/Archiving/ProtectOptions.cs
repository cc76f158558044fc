using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Core.Archiving;

public sealed class ProtectOptions
{
    public required string OutputDirectory { get; init; }

    /// <summary>zstd level 1..22. 19 is what operators' runbooks use; 3 is ~100x faster on 2 cores.</summary>
    public int CompressionLevel { get; init; } = ZstdCompressStream.DefaultLevel;

    /// <summary>zstd worker threads; null = one per core.</summary>
    public int? Workers { get; init; }

    public int ChunkSize { get; init; } = BlarWriterOptions.DefaultChunkSize;

    public BlarKeyMode KeyMode { get; init; } = BlarKeyMode.Envelope;

    public ArchiveWriteFormat Format { get; init; } = ArchiveWriteFormat.Blar1;

    /// <summary>For <see cref="ArchiveWriteFormat.OpenSslCbc"/>: what `openssl enc -pass file:KEY` reads from the key file.</summary>
    public byte[]? OpenSslPassphrase { get; init; }

    public int OpenSslIterations { get; init; } = OpenSslCbc.DefaultIterations;

    /// <summary>Replace an existing archive of different content under the same name.</summary>
    public bool Force { get; init; }

    /// <summary>Archive a source the reader reports damaged (CRC mismatch, bad event) instead of refusing.</summary>
    public bool AllowDamagedSource { get; init; }

    public string? CorrelationId { get; init; }

    public IProgress<ProtectProgress>? Progress { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
