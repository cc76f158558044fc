using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Cycle;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Serialization;
using BinlogArchive.Core.Storage.Catalog;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Cli;

/// <summary>
/// Source-generated metadata for what the subcommands print with --json, under the engine's
/// JSON convention; <see cref="Output"/> is bound to those options, not the generator's.
/// </summary>
[JsonSerializable(typeof(List<BinlogArchiveEntry>))]
[JsonSerializable(typeof(ClosedBinlogScan))]
[JsonSerializable(typeof(List<CatalogReport>))]
[JsonSerializable(typeof(List<ArchiveVerification>))]
[JsonSerializable(typeof(List<StoredBinlogArchive>))]
[JsonSerializable(typeof(ArchiveCycleSummary))]
[JsonSerializable(typeof(KeygenResult))]
[JsonSerializable(typeof(List<JsonObject>))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    public static CliJsonContext Output { get; } = new(ArchiveJson.CreateOptions(indented: true));
}
