using System.Text.Json;
using System.Text.Json.Serialization;

namespace BinlogArchive.Core.Archiving;

/// <summary>The <c>source</c> object of the sidecar (ARCHITECTURE.md §5). Times are kept as the exact JSON text the MAC covers.</summary>
public sealed record SidecarSource
{
    public required string File { get; init; }

    public long Sequence { get; init; }

    public long Size { get; init; }

    public required string Sha256 { get; init; }

    public uint ServerId { get; init; }

    public string? ServerUuid { get; init; }

    public string? ServerVersion { get; init; }

    public required string Flavor { get; init; }

    public required string ChecksumAlg { get; init; }

    public string? FirstEventAt { get; init; }

    public string? LastEventAt { get; init; }

    public long StartPosition { get; init; }

    public long EndPosition { get; init; }

    public required SidecarGtids Gtid { get; init; }

    public bool TransactionCompression { get; init; }

    public long TransactionCount { get; init; }

    public bool ClosedCleanly { get; init; }

    // set, not init: generated deserializers cannot bind extension data through an init accessor.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
