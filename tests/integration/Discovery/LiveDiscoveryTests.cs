using System.Text.Json;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Discovery;

/// <summary>Discovery against the running test MariaDB while it writes: the active binlog is never handed on.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class LiveDiscoveryTests
{
    [MariaDbFact]
    public void Active_binlog_is_never_listed_while_written_and_is_listed_after_FLUSH()
    {
        var server = MariaDbServer.Shared;
        using var db = server.CreateDatabase("disc");
        using var state = new TempDirectory();
        db.Execute("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(100)) ENGINE=InnoDB");
        server.FlushBinaryLogs();
        var active = ActiveFile(server);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                db.Execute($"INSERT INTO t (v) VALUES ('row {n++} written while discovery runs')");
            }

            return n;
        });

        var scans = 0;
        try
        {
            var finder = new ClosedBinlogFinder();
            var until = DateTime.UtcNow.AddSeconds(3);
            while (DateTime.UtcNow < until)
            {
                var scan = finder.Find(server.BinlogDirectory);
                Assert.DoesNotContain(active, scan.Closed.Select(f => f.Name));
                Assert.Equal(active, Path.GetFileName(scan.ActiveFile));
                Assert.False(scan.HasErrors, string.Join("; ", scan.Issues.Select(i => i.Message)));
                scans++;
            }

            var cli = CliRunner.Run(["closed", "--binlog-dir", server.BinlogDirectory, "--state-dir", state.Path, "--json"], env: null);
            Assert.Equal(0, cli.ExitCode);
            using var doc = JsonDocument.Parse(cli.StdOut);
            Assert.DoesNotContain(active, doc.RootElement.GetProperty("closed").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        }
        finally
        {
            stop.Cancel();
        }

        Assert.True(writer.Result > 0, "the writer must have written while discovery ran");
        Assert.True(scans >= 3, $"only {scans} scans");

        server.FlushBinaryLogs();
        var after = new ClosedBinlogFinder().Find(server.BinlogDirectory);
        var closed = Assert.Single(after.Closed, f => f.Name == active);
        Assert.True(closed.ClosedCleanly == true);
        Assert.True(closed.Scanned && closed.TransactionCount > 0);
        Assert.NotEqual(active, Path.GetFileName(after.ActiveFile));
        Assert.Equal(ActiveFile(server), Path.GetFileName(after.ActiveFile));
    }

    private static string ActiveFile(MariaDbServer server) => server.Query("SHOW MASTER STATUS")[0][0];
}
