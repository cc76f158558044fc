using System.Text.Json.Serialization;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Restore;
using BinlogArchive.Core.Restore.Execution;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;

namespace BinlogArchive.Core.Serialization;

/// <summary>Source-generated metadata for the documents the engine reads and writes itself.</summary>
[JsonSerializable(typeof(Sidecar))]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(MultipartUploadState))]
[JsonSerializable(typeof(RestorePlan))]
[JsonSerializable(typeof(BinlogRestoreResult))]
[JsonSerializable(typeof(BinlogFileSummary))]
public sealed partial class ArchiveJsonContext : JsonSerializerContext
{
}
