using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Serialization;
using BinlogArchive.Tests.Storage;
using Xunit;

namespace BinlogArchive.Tests.Serialization;

public sealed class ArchiveJsonTests
{
    // Every type the generated metadata can reach from the engine's documents.
    private static IEnumerable<Type> Reachable(JsonSerializerOptions options, Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            JsonTypeInfo info;
            try
            {
                info = options.GetTypeInfo(type);
            }
            catch (NotSupportedException)
            {
                // A [JsonIgnore] member's type: never written, so the generator made no metadata.
                continue;
            }

            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }

        return seen;
    }

    [Fact]
    public void Every_enum_in_an_engine_document_is_written_as_a_snake_case_string()
    {
        var options = ArchiveJson.Indented.Options;
        var roots = typeof(ArchiveJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        Assert.Contains(typeof(Sidecar), roots);

        var enums = roots.SelectMany(r => Reachable(options, r))
            .Select(t => Nullable.GetUnderlyingType(t) ?? t)
            .Where(t => t.IsEnum)
            .Distinct()
            .ToList();

        Assert.NotEmpty(enums);
        foreach (var type in enums)
        {
            var first = Enum.GetValues(type).GetValue(0)!;
            var json = JsonSerializer.Serialize(first, options.GetTypeInfo(type));
            Assert.True(json.StartsWith('"'), $"{type.Name} is written as {json}, not as a string: add it to ArchiveJson's enum converters");
            Assert.Equal(json.ToLowerInvariant(), json);
        }
    }

    [Fact]
    public void Every_public_engine_enum_has_a_string_converter_for_the_cli_results_too()
    {
        // The CLI's --json results reach enums the engine's own documents do not.
        var converters = ArchiveJson.CreateOptions(indented: false).Converters;
        var missing = typeof(Sidecar).Assembly.GetExportedTypes()
            .Where(t => t.IsEnum && !converters.Any(c => c.CanConvert(t)))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void A_sidecar_keeps_fields_it_does_not_know_at_every_level_through_a_round_trip()
    {
        using var tmp = new TempDirectory("json");
        var archive = TestArchives.Create(tmp.Path, 7, 1024);
        var node = JsonNode.Parse(File.ReadAllText(Sidecar.PathFor(archive)))!.AsObject();
        node["future_top"] = 1;
        node["source"]!.AsObject()["future_source"] = "s";
        node["archive"]!.AsObject()["future_archive"] = new JsonArray(1, 2);

        var parsed = Sidecar.Parse(node.ToJsonString(), "test.json");
        var again = JsonNode.Parse(parsed.ToJson())!.AsObject();

        Assert.Equal(1, again["future_top"]!.GetValue<int>());
        Assert.Equal("s", again["source"]!["future_source"]!.GetValue<string>());
        Assert.Equal("[1,2]", again["archive"]!["future_archive"]!.ToJsonString());
        Assert.Equal("mysql-bin.000007", again["source"]!["file"]!.GetValue<string>());
    }
}
