using System.Globalization;
using System.Text.Json;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Archiving;

/// <summary>
/// `protect` then `verify` through the CLI on real MariaDB binlogs (the committed fixtures, and
/// files the test server writes now): the archive opens to the source byte for byte by our own
/// reader and by the real zstd CLI, the sidecar says what `inspect` says of the source, and the
/// source is left exactly as it was.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ProtectRoundTripTests
{
    private const string Workload = """
        SET SESSION binlog_format = 'ROW';
        CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40) NOT NULL, note VARCHAR(200) NOT NULL,
                             total DECIMAL(10,2) NOT NULL) ENGINE=InnoDB;
        INSERT INTO orders SELECT seq, CONCAT('customer-', seq % 97), REPEAT(CHAR(65 + seq % 26), 50 + seq % 100), seq * 1.25
          FROM seq_1_to_3000;
        BEGIN;
        UPDATE orders SET total = total + 1 WHERE id % 7 = 0;
        DELETE FROM orders WHERE id % 11 = 0;
        COMMIT;
        FLUSH BINARY LOGS;
        SET SESSION binlog_format = 'STATEMENT';
        INSERT INTO orders VALUES (100000, 'late', 'statement-based row', 9.99);
        ALTER TABLE orders ADD COLUMN shipped TINYINT NOT NULL DEFAULT 0;
        """;

    [Fact]
    public void Fixture_binlogs_round_trip_through_protect_and_verify()
    {
        using var tmp = new TempDirectory("protect-rt");
        var key = ArchiveKit.NewKey(tmp);
        var sources = ArchiveKit.FixtureBinlogs.Select(ArchiveKit.Fixture).ToArray();

        AssertRoundTrip(tmp, key, sources);
    }

    [MariaDbFact]
    public void Live_server_binlogs_round_trip_through_protect_and_verify()
    {
        var server = MariaDbServer.Shared;
        using var db = server.CreateDatabase("protect_rt");
        server.FlushBinaryLogs();
        var first = server.ShowBinaryLogs()[^1].LogName;
        db.Execute(Workload);
        server.FlushBinaryLogs();
        var logs = server.ShowBinaryLogs().Select(l => l.LogName).ToList();
        // Every file from the one the workload started in up to (not including) the new active one.
        var closed = logs.Skip(logs.IndexOf(first)).SkipLast(1).ToList();
        Assert.True(closed.Count >= 2, "the workload rotates once, so it spans at least two closed files");

        using var tmp = new TempDirectory("protect-live");
        var key = ArchiveKit.NewKey(tmp);
        // Straight from the server's own binlog directory: that is where protect reads in production.
        AssertRoundTrip(tmp, key, closed.Select(server.BinlogPath).ToArray());
    }

    private static void AssertRoundTrip(TempDirectory tmp, string key, string[] sources)
    {
        var before = sources.ToDictionary(s => s, s => (Hash: ArchiveKit.Sha256(s), Id: ArchiveKit.Identity(s)));
        var outDir = tmp.Combine("out");

        var protect = ArchiveKit.Protect(key, outDir, sources, "--json");

        ArchiveKit.AssertExit(0, protect);
        using var entries = JsonDocument.Parse(protect.StdOut);
        Assert.Equal(sources.Length, entries.RootElement.GetArrayLength());
        Assert.All(entries.RootElement.EnumerateArray(), e => Assert.Equal("created", e.GetProperty("outcome").GetString()));

        // The source is never modified: same bytes, same inode, same mtime.
        foreach (var s in sources)
        {
            Assert.Equal(before[s].Hash, ArchiveKit.Sha256(s));
            Assert.Equal(before[s].Id, ArchiveKit.Identity(s));
        }

        using var master = ArchiveKit.LoadKey(key);
        var ring = new KeyRing(master);
        var inspect = ArchiveKit.Cli(["inspect", "--json", .. sources]);
        ArchiveKit.AssertExit(0, inspect);
        using var inspected = JsonDocument.Parse(inspect.StdOut);

        for (var i = 0; i < sources.Length; i++)
        {
            var source = sources[i];
            var name = Path.GetFileName(source);
            var archive = ArchiveKit.ArchiveFor(outDir, name);
            var plain = File.ReadAllBytes(source);

            // Our reader: decrypt (every chunk authenticated) then decompress.
            var zstdStream = ArchiveKit.DecryptBlar(archive, ring);
            Assert.Equal(plain, ArchiveKit.Decompress(zstdStream));

            // The real zstd CLI reads the decrypted stream: the inner format is plain zstd.
            var (zrc, zout, zerr) = ArchiveKit.Pipe("zstd", ["-d", "-c", "-q"], zstdStream);
            Assert.True(zrc == 0, zerr);
            Assert.Equal(plain, zout);

            var verdict = ArchiveKit.AssertVerifyPasses(ArchiveKit.Verify(key, archive));
            Assert.Empty(verdict.GetProperty("not_checked").EnumerateArray());

            AssertSidecarMatchesInspect(ArchiveKit.SidecarFor(archive), inspected.RootElement[i], plain.Length, before[source].Hash, archive);
        }
    }

    private static void AssertSidecarMatchesInspect(string sidecarPath, JsonElement inspect, long size, string sha, string archive)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(sidecarPath));
        var src = doc.RootElement.GetProperty("source");
        var arc = doc.RootElement.GetProperty("archive");
        Assert.Equal(inspect.GetProperty("file_name").GetString(), src.GetProperty("file").GetString());
        Assert.Equal(size, src.GetProperty("size").GetInt64());
        Assert.Equal(sha, src.GetProperty("sha256").GetString());
        Assert.Equal(inspect.GetProperty("server_id").GetInt64(), src.GetProperty("server_id").GetInt64());
        Assert.Equal(inspect.GetProperty("server_version").GetString(), src.GetProperty("server_version").GetString());
        Assert.Equal("mariadb", src.GetProperty("flavor").GetString());
        Assert.Equal(inspect.GetProperty("flavor").GetString(), src.GetProperty("flavor").GetString());
        Assert.Equal(inspect.GetProperty("checksum_algorithm").GetString(), src.GetProperty("checksum_alg").GetString());
        Assert.Equal(inspect.GetProperty("start_position").GetInt64(), src.GetProperty("start_position").GetInt64());
        Assert.Equal(inspect.GetProperty("end_position").GetInt64(), src.GetProperty("end_position").GetInt64());
        Assert.Equal(inspect.GetProperty("transaction_count").GetInt64(), src.GetProperty("transaction_count").GetInt64());
        var gtid = src.GetProperty("gtid");
        Assert.Equal(inspect.GetProperty("previous_gtids").GetString(), gtid.GetProperty("previous").GetString());
        Assert.Equal(inspect.GetProperty("added_gtids").GetString(), gtid.GetProperty("added").GetString());
        Assert.Equal(inspect.GetProperty("executed_gtids").GetString(), gtid.GetProperty("executed").GetString());
        Assert.False(string.IsNullOrEmpty(gtid.GetProperty("added").GetString()), "every fixture/workload file adds GTIDs");
        Assert.Equal(Time(inspect, "first_event_at"), Time(src, "first_event_at"));
        Assert.Equal(Time(inspect, "last_event_at"), Time(src, "last_event_at"));
        Assert.Equal(Path.GetFileName(archive), arc.GetProperty("file").GetString());
        Assert.Equal(new FileInfo(archive).Length, arc.GetProperty("size").GetInt64());
        Assert.Equal(ArchiveKit.Sha256(archive), arc.GetProperty("sha256").GetString());
        Assert.Equal("BLAR1", arc.GetProperty("format").GetString());
        Assert.Equal(4096, arc.GetProperty("encryption").GetProperty("chunk_size").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", doc.RootElement.GetProperty("mac").GetString());
    }

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
