using System.Text.Json;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Core.Serialization;

/// <summary>GTID sets travel as their canonical text, in the flavor's own notation.</summary>
public sealed class GtidSetJsonConverter : JsonConverter<GtidSet>
{
    public override GtidSet? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is null ? null : GtidSet.Parse(text);
    }

    public override void Write(Utf8JsonWriter writer, GtidSet value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
