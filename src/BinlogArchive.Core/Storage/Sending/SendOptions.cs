namespace BinlogArchive.Core.Storage.Sending;

public sealed record SendOptions
{
    /// <summary>Server folder name; default: the sidecar's server_uuid, else host-server_id.</summary>
    public string? Server { get; init; }

    /// <summary>Optional tenant prefix that isolates tenants sharing a destination.</summary>
    public string? Tenant { get; init; }

    /// <summary>Replace an object of the same name but different content instead of failing with ArchiveConflict.</summary>
    public bool Force { get; init; }

    /// <summary>Validate everything and report what would happen, writing nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Record the archive in the server's catalog.json after it is durable.</summary>
    public bool UpdateCatalog { get; init; } = true;
}
