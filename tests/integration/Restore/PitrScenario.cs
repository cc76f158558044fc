using System.Globalization;
using System.Text.Json;
using BinlogArchive.Tests.Integration.Storage;
using BinlogArchive.Tests.MariaDb;
using BinlogArchive.Tests.Storage;

namespace BinlogArchive.Tests.Integration.Restore;

/// <summary>
/// The golden point-in-time-recovery scenario, built once per test class: a source MariaDB of its
/// own, a prepared mariadb-backup base backup, a workload with recorded marks (inside a file, a
/// temporary table that lives across FLUSH BINARY LOGS, two transactions in one second, the end),
/// and every closed binlog archived through the CLI (closed → protect → verify → send) into s3rver.
/// </summary>
public sealed class PitrScenario : IDisposable
{
    public const string Database = "shop";

    private readonly List<string> _log = [];

    public PitrScenario()
    {
        Root = Path.Combine("/tmp", "pitr-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        if (MariaDbAvailability.SkipReason is not null || StorageServices.S3Endpoint is null)
        {
            Available = false;
            return;
        }

        Available = true;
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", StorageServices.S3AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", StorageServices.S3SecretKey);
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Bucket = new StorageFixture().CreateBucketAsync().GetAwaiter().GetResult();
        Source = ThrowawayMariaDb.Start(Path.Combine(Root, "src"));
        try
        {
            Build();
        }
        catch
        {
            Source.Dispose();
            throw;
        }
    }

    public bool Available { get; }

    public string Root { get; }

    public string Bucket { get; } = "";

    public ThrowawayMariaDb? Source { get; }

    public string BackupDirectory => Path.Combine(Root, "backup");

    public string KeyFile => Path.Combine(Root, "master.key");

    public string ArchiveDirectory => Path.Combine(Root, "archives");

    /// <summary>Checksums of the base backup (the fresh target before any replay).</summary>
    public string BackupChecksums { get; private set; } = "";

    public IReadOnlyList<PitrMark> Marks { get; private set; } = [];

    /// <summary>Closed binlog files of the source, oldest first (all archived).</summary>
    public IReadOnlyList<string> ClosedFiles { get; private set; } = [];

    public string StoreUri(string prefix) =>
        $"s3://{Bucket}/{prefix}?endpoint={StorageServices.S3Endpoint}&path_style=true";

    public string MainStore => StoreUri("prod");

    public static string ChecksumsOf(MariaDbServer server) =>
        string.Join(";", server.Query($"CHECKSUM TABLE {Database}.customers, {Database}.orders, {Database}.audit")
            .Select(r => $"{r[0]}={r[1]}"));

    private void Build()
    {
        var src = Source!.Server;
        src.Execute($"""
            CREATE DATABASE {Database};
            CREATE TABLE {Database}.customers (id INT PRIMARY KEY, name VARCHAR(40), credit INT) ENGINE=InnoDB;
            CREATE TABLE {Database}.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, amount DECIMAL(10,2), note TEXT) ENGINE=InnoDB;
            CREATE TABLE {Database}.audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(80)) ENGINE=InnoDB;
            INSERT INTO {Database}.customers VALUES (1,'ann',100),(2,'bob',200),(3,'cy',300);
            INSERT INTO {Database}.orders (customer, amount, note) VALUES (1, 10.50, 'first'), (2, 20.25, 'second');
            """);
        src.FlushBinaryLogs();
        src.Execute($"INSERT INTO {Database}.audit (what) VALUES ('before backup')");

        // The base backup, taken in the middle of a binlog file.
        Tool("mariadb-backup", "--no-defaults", "--backup", "--target-dir=" + BackupDirectory, "--socket=" + src.Socket, "--user=root");
        Tool("mariadb-backup", "--no-defaults", "--prepare", "--target-dir=" + BackupDirectory);
        BackupChecksums = ChecksumsOf(src);

        var marks = new List<PitrMark>();

        // Workload 1, then mark A inside the backup's own file (no rotation at the mark).
        for (int i = 0; i < 5; i++)
        {
            src.Execute($"INSERT INTO {Database}.orders (customer, amount, note) VALUES ({1 + (i % 3)}, {i * 3 + 1}.75, 'w1-{i}')");
        }

        src.Execute($"UPDATE {Database}.customers SET credit = credit - 5 WHERE id = 2");
        marks.Add(Mark("A inside the backup's file"));
        src.Execute($"INSERT INTO {Database}.audit (what) VALUES ('after A')");
        src.FlushBinaryLogs();
        src.Execute($"UPDATE {Database}.customers SET name = 'bobby' WHERE id = 2");

        // A temporary table created before FLUSH BINARY LOGS and used after it, in one session
        // (statement format, so the temporary table's statements are in the binlog). Then mark B. The
        // session ends with an ordinary transaction: a ROW-format target does not binlog a replayed
        // DROP TEMPORARY TABLE, so its GTID would not show in the target's gtid_binlog_pos.
        src.Execute($"""
            SET SESSION binlog_format = 'STATEMENT';
            CREATE TEMPORARY TABLE {Database}.staging (customer INT, amount DECIMAL(10,2));
            INSERT INTO {Database}.staging VALUES (3, 99.99), (1, 1.01), (2, 42.00);
            FLUSH BINARY LOGS;
            INSERT INTO {Database}.orders (customer, amount, note) SELECT customer, amount, 'from staging' FROM {Database}.staging;
            DROP TEMPORARY TABLE {Database}.staging;
            INSERT INTO {Database}.audit (what) VALUES ('staging merged');
            """);
        marks.Add(Mark("B after a temporary table used across FLUSH BINARY LOGS"));
        src.Execute($"DELETE FROM {Database}.orders WHERE note = 'w1-0'");
        src.FlushBinaryLogs();
        src.Execute($"INSERT INTO {Database}.audit (what) VALUES ('file 4')");

        // Mark C: two transactions in one second; the mark sits between them. By GTID and position the
        // cut is exact; by time MariaDB's whole seconds make the second ambiguous, and the planner stops
        // before it, so a time restore must give the state before the first of the two.
        PitrMark c;
        for (int attempt = 0; ; attempt++)
        {
            WaitForNextSecond();
            var before = ChecksumsOf(src);
            var second = DateTimeOffset.UtcNow;
            src.Execute($"UPDATE {Database}.customers SET credit = credit + 1 WHERE id = 1");
            c = Mark("C less than a second after the previous transaction", waitAfter: false) with { ChecksumsByTime = before };
            src.Execute($"INSERT INTO {Database}.audit (what) VALUES ('right after C')");
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() == second.ToUnixTimeSeconds() || attempt == 3)
            {
                break;
            }

            _log.Add("the two transactions of mark C fell into different seconds; trying again");
        }

        marks.Add(c);
        WaitForNextSecond();
        src.Execute($"UPDATE {Database}.orders SET amount = amount * 2 WHERE customer = 3");
        src.FlushBinaryLogs();
        for (int i = 0; i < 3; i++)
        {
            src.Execute($"INSERT INTO {Database}.orders (customer, amount, note) VALUES (2, {i}.5, REPEAT('z', {200 + i}))");
        }

        marks.Add(Mark("D the last mark, after more rotations"));
        src.Execute($"INSERT INTO {Database}.audit (what) VALUES ('after D')");
        src.FlushBinaryLogs();
        Marks = marks;

        // Archive through the CLI: closed -> protect -> verify -> send.
        Cli("keygen", "--out", KeyFile);
        var closed = Cli("closed", "--binlog-dir", Source.DataDirectory, "--json");
        ClosedFiles = JsonDocument.Parse(closed.StdOut).RootElement.GetProperty("closed").EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("full_name").GetString()!).ToList();
        Cli(["protect", "--key-file", KeyFile, "--output-dir", ArchiveDirectory, .. ClosedFiles]);
        var archives = Directory.GetFiles(ArchiveDirectory, "*.zst.enc").Order(StringComparer.Ordinal).ToArray();
        Cli(["verify", "--key-file", KeyFile, .. archives]);
        Cli(["send", "--destination", MainStore, .. archives]);
    }

    private PitrMark Mark(string name, bool waitAfter = true)
    {
        var src = Source!.Server;
        var status = src.Query("SHOW MASTER STATUS")[0];
        var gtid = src.GtidBinlogPos();
        var checksums = ChecksumsOf(src);
        var time = DateTimeOffset.UtcNow;
        if (waitAfter)
        {
            // The mark's time must lie after the whole second of the last transaction (so that it is
            // certainly applied) and before the second of the next one.
            WaitForNextSecond();
            time = DateTimeOffset.UtcNow.AddMilliseconds(100);
            WaitForNextSecond();
        }

        return new PitrMark(name, gtid, time, status[0], long.Parse(status[1], CultureInfo.InvariantCulture), checksums, checksums);
    }

    private static void WaitForNextSecond()
    {
        var now = DateTimeOffset.UtcNow;
        var next = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1).AddMilliseconds(20);
        Thread.Sleep(next - now);
    }

    private static void Tool(string tool, params string[] args)
    {
        var r = ToolProcess.Run(ToolProcess.Find(tool), args, timeout: TimeSpan.FromMinutes(3));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed (exit {r.ExitCode}): {r.StandardError}");
        }
    }

    internal CliRunner.Result Cli(params string[] args)
    {
        var r = CliRunner.Run(args, new Dictionary<string, string?> { ["BINLOG_ARCHIVE_STATE_DIR"] = Path.Combine(Root, "state") },
            timeout: TimeSpan.FromMinutes(3));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"binlog-archive {string.Join(' ', args)} failed (exit {r.ExitCode}):\n{r.StdErr}");
        }

        return r;
    }

    internal static CliRunner.Result Run(string root, params string[] args) =>
        CliRunner.Run(args, new Dictionary<string, string?> { ["BINLOG_ARCHIVE_STATE_DIR"] = Path.Combine(root, "state") },
            timeout: TimeSpan.FromMinutes(3));

    public void Dispose()
    {
        Source?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
