using System.Text.Json;

namespace BinlogArchive.Tests.Integration.Binlog;

/// <summary>tests/fixtures/mariadb/manifest.json: what the server reported for each fixture binlog.</summary>
public sealed record FixtureManifest(
    string ServerVersion,
    string Flavor,
    long ServerId,
    string IndexFile,
    IReadOnlyList<FixtureFile> Files)
{
    public static string Directory => Path.Combine(RepoPaths.TestFixtures, "mariadb");

    public static FixtureManifest Load() => LazyManifest.Value;

    public FixtureFile File(string name) => Files.Single(f => f.Name == name);

    public static TheoryData<string> FileNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Load().Files)
        {
            data.Add(f.Name);
        }

        return data;
    }

    private static readonly Lazy<FixtureManifest> LazyManifest = new(() =>
        JsonSerializer.Deserialize<FixtureManifest>(
            System.IO.File.ReadAllText(Path.Combine(Directory, "manifest.json")),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidOperationException("empty manifest.json"));
}

public sealed record FixtureFile(
    string Name,
    long Size,
    long? ServerReportedSize,
    long EventCount,
    IReadOnlyDictionary<string, long> EventTypes,
    long FirstEventPos,
    long LastEndLogPos,
    string LastEventType,
    string PreviousGtids,
    string GtidBinlogPosAtClose,
    DateTimeOffset FirstEventTime,
    DateTimeOffset LastEventTime,
    int TransactionCount,
    IReadOnlyList<FixtureTransaction> Transactions)
{
    public string Path => System.IO.Path.Combine(FixtureManifest.Directory, Name);
}

public sealed record FixtureTransaction(
    string Gtid,
    long GtidPos,
    long GtidEndLogPos,
    bool BeginsTransaction,
    string Kind,
    string EndEventType,
    long EndPos,
    long EndLogPos,
    DateTimeOffset GtidEventTime,
    DateTimeOffset EndEventTime);
