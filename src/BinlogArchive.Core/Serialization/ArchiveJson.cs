using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Cycle;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;
using BinlogArchive.Core.Restore.Execution;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Core.Serialization;

/// <summary>
/// One JSON convention for everything we emit (CLI --json, sidecars, catalog): snake_case like the
/// sidecar schema, enums as lower-case strings, nulls omitted, ISO 8601 times. Serialization goes
/// through source-generated metadata only, so the natively compiled CLI needs no reflection.
/// </summary>
public static class ArchiveJson
{
    /// <summary>The engine's own documents, indented (sidecar, catalog, plans).</summary>
    public static ArchiveJsonContext Indented { get; } = new(CreateOptions(indented: true));

    /// <summary>The same documents on one line.</summary>
    public static ArchiveJsonContext Compact { get; } = new(CreateOptions(indented: false));

    /// <summary>
    /// Options with the shared convention and no type metadata yet: a context built on them
    /// (the CLI's, for its result lists) adds its own.
    /// </summary>
    public static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new BinlogFlavorJsonConverter());
        options.Converters.Add(new GtidSetJsonConverter());
        foreach (var converter in EnumConverters())
        {
            options.Converters.Add(converter);
        }

        return options;
    }

    // Native compilation cannot make JsonStringEnumConverter<T> for a type it meets at run time,
    // so every enum that can reach a document is named here; a unit test checks none is missing.
    private static IEnumerable<JsonConverter> EnumConverters() =>
    [
        SnakeCase<BinlogChecksumAlgorithm>(),
        SnakeCase<RestoreMode>(),
        SnakeCase<RestoreTargetKind>(),
        SnakeCase<SendOutcome>(),
        SnakeCase<StoreKind>(),
        SnakeCase<ErrorKind>(),
        SnakeCase<ArchiveWriteFormat>(),
        SnakeCase<ArchiveOutcome>(),
        SnakeCase<DiscoverySeverity>(),
        SnakeCase<CycleOutcome>(),
        SnakeCase<BlarCompression>(),
        SnakeCase<ArchiveFormat>(),
        SnakeCase<BlarCipher>(),
        SnakeCase<BlarKeyMode>(),
    ];

    private static JsonStringEnumConverter<T> SnakeCase<T>()
        where T : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower);
}
