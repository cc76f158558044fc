using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Core.Storage;

/// <summary>Tuning shared by the remote stores. Defaults suit production; tests shrink sizes and delays.</summary>
public sealed record StoreOptions
{
    public static StoreOptions Default { get; } = new();

    /// <summary>Files at or above this size go as multipart / block uploads (default 100 MiB).</summary>
    public long MultipartThreshold { get; init; } = 100L << 20;

    /// <summary>Bytes per part or block (default 8 MiB; S3 needs at least 5 MiB for all parts but the last).</summary>
    public long PartSize { get; init; } = 8L << 20;

    /// <summary>Parts in flight at once: a few keep a link busy without starving the 2-core host.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Where resumable-upload state lives (upload ids, confirmed part ETags).</summary>
    public string StateDirectory { get; init; } = Discovery.StateDirectory.Default;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Per-request timeout; a stalled request is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
