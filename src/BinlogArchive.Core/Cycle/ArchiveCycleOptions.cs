using BinlogArchive.Core.Archiving;

namespace BinlogArchive.Core.Cycle;

public sealed class ArchiveCycleOptions
{
    public required string BinlogDirectory { get; init; }

    public string? IndexPath { get; init; }

    /// <summary>Local staging for archives between protect and send; emptied as each file is durably stored.</summary>
    public required string WorkDirectory { get; init; }

    public required string StateDirectory { get; init; }

    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string? Server { get; init; }

    public string? Tenant { get; init; }

    public int CompressionLevel { get; init; } = 19;

    public int? Workers { get; init; }

    public int MaxParallel { get; init; } = 1;

    /// <summary>Keep the staged archives after they are stored (default: remove them).</summary>
    public bool KeepLocal { get; init; }

    public bool DryRun { get; init; }

    public IProgress<ProtectProgress>? Progress { get; init; }
}
