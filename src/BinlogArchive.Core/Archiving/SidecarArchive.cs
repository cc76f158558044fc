using System.Text.Json;
using System.Text.Json.Serialization;

namespace BinlogArchive.Core.Archiving;

/// <summary>The <c>archive</c> object of the sidecar: the file it describes and how it was made.</summary>
public sealed record SidecarArchive
{
    public required string File { get; init; }

    public long Size { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>"BLAR1", or "openssl-cbc" for the legacy interop format.</summary>
    public required string Format { get; init; }

    public required SidecarCompression Compression { get; init; }

    public required SidecarEncryption Encryption { get; init; }

    // set, not init: generated deserializers cannot bind extension data through an init accessor.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
