using System.Text.Json;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Core.Serialization;

/// <summary>The sidecar schema spells flavors "mysql" and "mariadb" (not snake-cased enum names).</summary>
public sealed class BinlogFlavorJsonConverter : JsonConverter<BinlogFlavor>
{
    public override BinlogFlavor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString()?.ToLowerInvariant() switch
        {
            "mysql" => BinlogFlavor.MySql,
            "mariadb" => BinlogFlavor.MariaDb,
            _ => BinlogFlavor.Unknown,
        };

    public override void Write(Utf8JsonWriter writer, BinlogFlavor value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            BinlogFlavor.MySql => "mysql",
            BinlogFlavor.MariaDb => "mariadb",
            _ => "unknown",
        });
}
