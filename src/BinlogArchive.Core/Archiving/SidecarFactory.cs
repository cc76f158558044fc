using System.Reflection;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Core.Archiving;

/// <summary>Builds the schema-1 sidecar from one protect pass and signs it.</summary>
internal static class SidecarFactory
{
    public static string PipelineVersion { get; } =
        typeof(SidecarFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static Sidecar Create(string sourceName, string archiveName, ProtectPassResult pass, ProtectOptions options,
        string correlationId, DateTimeOffset startedAt, TimeSpan duration)
    {
        var s = pass.Summary;
        BinlogName.TryParse(sourceName, out var name);
        var sidecar = new Sidecar
        {
            Source = new SidecarSource
            {
                File = sourceName,
                Sequence = name.Sequence,
                Size = pass.SourceSize,
                Sha256 = pass.SourceSha256,
                ServerId = s.ServerId,
                ServerVersion = s.ServerVersion,
                Flavor = s.Flavor switch { BinlogFlavor.MySql => "mysql", BinlogFlavor.MariaDb => "mariadb", _ => "unknown" },
                ChecksumAlg = s.ChecksumAlgorithm switch
                {
                    BinlogChecksumAlgorithm.Crc32 => "crc32",
                    BinlogChecksumAlgorithm.Off => "off",
                    _ => "none",
                },
                FirstEventAt = s.FirstEventAt is { } first ? Sidecar.FormatTime(first) : null,
                LastEventAt = s.LastEventAt is { } last ? Sidecar.FormatTime(last) : null,
                StartPosition = s.StartPosition,
                EndPosition = s.EndPosition,
                Gtid = new SidecarGtids(s.PreviousGtids.ToString(), s.AddedGtids.ToString(), s.ExecutedGtids.ToString()),
                TransactionCompression = s.CompressedTransactionCount > 0,
                TransactionCount = s.TransactionCount,
                ClosedCleanly = s.ClosedCleanly,
            },
            Archive = new SidecarArchive
            {
                File = archiveName,
                Size = pass.ArchiveSize,
                Sha256 = pass.ArchiveSha256,
                Format = options.Format == ArchiveWriteFormat.OpenSslCbc ? "openssl-cbc" : "BLAR1",
                Compression = new SidecarCompression("zstd", options.CompressionLevel),
                Encryption = pass.Encryption,
            },
            CorrelationId = correlationId,
            Host = Environment.MachineName,
            PipelineVersion = PipelineVersion,
            ProcessedAt = Sidecar.FormatTime(startedAt),
            DurationMs = (long)duration.TotalMilliseconds,
        };
        return sidecar with { Mac = pass.MacKey.Compute(sidecar.MacValues) };
    }
}
