using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>Everything <see cref="RestoreExecutor"/> needs: where the archives are, where to start and stop, what to do.</summary>
public sealed record RestoreRequest
{
    /// <summary>The store URI the archives were sent to (plain path, file://, s3://, azblob://).</summary>
    public required string Source { get; init; }

    public StoreOptions? StoreOptions { get; init; }

    /// <summary>The server folder in the store; null picks the only one there is.</summary>
    public string? Server { get; init; }

    public string? Tenant { get; init; }

    public required KeyRing Keys { get; init; }

    /// <summary>The base backup's coordinates; may be null with <see cref="Continue"/>.</summary>
    public BackupCoordinates? Coordinates { get; init; }

    public RestoreTarget Target { get; init; } = RestoreTarget.Latest;

    public RestoreOptions Options { get; init; } = RestoreOptions.Default;

    public RestoreMode Mode { get; init; } = RestoreMode.PlanOnly;

    /// <summary>For <see cref="RestoreMode.OutputDirectory"/>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>For <see cref="RestoreMode.Replay"/> and <see cref="Continue"/>.</summary>
    public ReplayConnection Connection { get; init; } = new();

    /// <summary>
    /// Read the target's executed GTIDs (@@gtid_binlog_pos / @@gtid_executed) and apply only what is
    /// missing: the target's state replaces the backup's as the starting coordinates.
    /// </summary>
    public bool Continue { get; init; }

    /// <summary>Tools to run; null detects them (mariadb-binlog/mariadb, else mysqlbinlog/mysql).</summary>
    public ClientTools? Tools { get; init; }

    /// <summary>Parent of the private 0700 work directory (encrypted cache only); null for the system temp directory.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Archives fetched and verified at once while preparing (the apply itself is one stream).</summary>
    public int FetchConcurrency { get; init; } = 2;
}
