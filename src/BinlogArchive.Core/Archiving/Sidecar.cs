using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// Sidecar JSON, schema 1 (ARCHITECTURE.md §5): <c>&lt;archive&gt;.json</c> beside the archive.
/// Restore planning trusts only the MAC-covered fields; unknown fields are kept on rewrite.
/// </summary>
public sealed record Sidecar
{
    public const string Suffix = ".json";

    public int Schema { get; init; } = 1;

    public required SidecarSource Source { get; init; }

    public required SidecarArchive Archive { get; init; }

    public string? CorrelationId { get; init; }

    public string? Host { get; init; }

    public string? PipelineVersion { get; init; }

    public string? ProcessedAt { get; init; }

    public long DurationMs { get; init; }

    /// <summary>Hex HMAC-SHA256 over <see cref="MacValues"/>; see ARCHITECTURE.md §5.</summary>
    public string? Mac { get; init; }

    // set, not init: generated deserializers cannot bind extension data through an init accessor.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }

    /// <summary>The MAC-covered values, in the order §5 fixes, as they appear in the JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<string?> MacValues =>
    [
        Source.File,
        Decimal(Source.Sequence),
        Decimal(Source.Size),
        Source.Sha256,
        Decimal(Source.ServerId),
        Source.ServerUuid,
        Source.FirstEventAt,
        Source.LastEventAt,
        Decimal(Source.StartPosition),
        Decimal(Source.EndPosition),
        Source.Gtid.Previous,
        Source.Gtid.Added,
        Archive.File,
        Decimal(Archive.Size),
        Archive.Sha256,
        Archive.Encryption.KeyId,
    ];

    /// <summary>Event and processing times are written one way, to the microsecond, in UTC.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string PathFor(string archivePath) => archivePath + Suffix;

    public string ToJson() => JsonSerializer.Serialize(this, ArchiveJson.Indented.Sidecar);

    public static Sidecar Parse(string json, string pathForErrors)
    {
        try
        {
            var sidecar = JsonSerializer.Deserialize(json, ArchiveJson.Indented.Sidecar);
            if (sidecar?.Source is null || sidecar.Archive is null)
            {
                throw new JsonException("source or archive object missing");
            }

            if (sidecar.Schema != 1)
            {
                throw new BinlogArchiveException("SidecarUnsupportedSchema", ErrorKind.InvalidData,
                    $"{pathForErrors}: sidecar schema {sidecar.Schema} is not supported (this version reads schema 1).",
                    pathForErrors, "Use a newer binlog-archive to read this archive.");
            }

            return sidecar;
        }
        catch (JsonException ex)
        {
            throw new BinlogArchiveException("SidecarInvalid", ErrorKind.InvalidData,
                $"{pathForErrors}: not a valid sidecar: {ex.Message}", pathForErrors,
                "Restore the sidecar from the store, or re-protect the source binlog.", ex);
        }
    }

    public static Sidecar Load(string path)
    {
        string json;
        try
        {
            json = System.IO.File.ReadAllText(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new BinlogArchiveException("SidecarMissing", ErrorKind.ObjectNotFound,
                $"The sidecar {path} is missing: the archive is incomplete or was copied without it.", path,
                "Copy the .json sidecar next to the archive, or re-protect the source binlog.", ex);
        }

        return Parse(json, path);
    }

    private static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);
}
