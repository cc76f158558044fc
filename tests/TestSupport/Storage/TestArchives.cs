using System.Globalization;
using System.Security.Cryptography;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Tests.Storage;

/// <summary>
/// Archive + sidecar pairs for storage tests. The archive bytes are random (storage never looks
/// inside); the sidecar is a real schema-1 sidecar whose archive size and sha256 match them.
/// </summary>
internal static class TestArchives
{
    public const string ServerUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    public static string Create(string directory, long sequence, int size, string? previousGtids = null, string? addedGtids = null,
        string? serverUuid = ServerUuid, string? host = "db1", int? seed = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"mysql-bin.{sequence:D6}");
        var archive = Path.Combine(directory, name + ".zst.enc");
        var bytes = new byte[size];
        new Random(seed ?? (int)sequence).NextBytes(bytes);
        File.WriteAllBytes(archive, bytes);
        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        var first = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(sequence);
        var sidecar = new Sidecar
        {
            Source = new SidecarSource
            {
                File = name,
                Sequence = sequence,
                Size = size * 3L,
                Sha256 = new string('a', 64),
                ServerId = 1,
                ServerUuid = serverUuid,
                Flavor = "mysql",
                ChecksumAlg = "crc32",
                FirstEventAt = Sidecar.FormatTime(first),
                LastEventAt = Sidecar.FormatTime(first.AddMinutes(59)),
                StartPosition = 4,
                EndPosition = size * 3L,
                Gtid = new SidecarGtids(previousGtids ?? "", addedGtids ?? "", ""),
            },
            Archive = new SidecarArchive
            {
                File = name + ".zst.enc",
                Size = size,
                Sha256 = sha,
                Format = "BLAR1",
                Compression = new SidecarCompression("zstd", 3),
                Encryption = new SidecarEncryption { Algorithm = "AES-256-GCM", ChunkSize = 1 << 20, KeyId = "test-key", Envelope = "direct" },
            },
            Host = host,
        };
        File.WriteAllText(Sidecar.PathFor(archive), sidecar.ToJson());
        return archive;
    }

    /// <summary>A file of deterministic random bytes.</summary>
    public static string RandomFile(string directory, string name, int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static async Task<byte[]> ReadAllAsync(Core.Storage.IArchiveStore store, string key, long offset = 0, long? length = null) =>
        (await store.ReadAllAsync(key, offset, length) ?? throw new FileNotFoundException(key)).Content;
}
