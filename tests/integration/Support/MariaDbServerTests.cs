using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Support;

/// <summary>The test-support helpers against the real test server (they must work before any reader test can be trusted).</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbServerTests
{
    private readonly MariaDbServer _server = MariaDbServer.Shared;

    [MariaDbFact]
    public void Server_has_binary_logging_and_gtid_strict_mode()
    {
        var row = _server.Query("SELECT @@log_bin, @@gtid_strict_mode, @@server_id, @@log_slave_updates")[0];
        Assert.Equal(["1", "1", "1", "1"], row);
        Assert.Contains("MariaDB", _server.Version, StringComparison.Ordinal);
    }

    [MariaDbFact]
    public void Values_with_tabs_newlines_and_backslashes_round_trip()
    {
        var rows = _server.Query("SELECT 'a\\tb', 'line1\\nline2', 'back\\\\slash', ''; SELECT 2;");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a\tb", "line1\nline2", "back\\slash", ""], rows[0]);
        Assert.Equal(["2"], rows[1]);
    }

    [MariaDbFact]
    public void Failing_sql_throws_with_the_client_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => _server.Query("SELECT * FROM no_such_db.no_such_table"));
        Assert.Contains("no_such", e.Message, StringComparison.Ordinal);
    }

    [MariaDbFact]
    public void Each_test_database_is_fresh_and_dropped()
    {
        string name;
        using (var a = _server.CreateDatabase("support"))
        using (var b = _server.CreateDatabase("support"))
        {
            Assert.NotEqual(a.Name, b.Name);
            a.Execute("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
            Assert.Equal("2", a.Query("SELECT COUNT(*) FROM t")[0][0]);
            Assert.Empty(b.Query("SHOW TABLES"));
            name = a.Name;
        }

        Assert.Empty(_server.Query($"SHOW DATABASES LIKE '{name}'"));
    }

    [MariaDbFact]
    public void Flush_rotates_and_binlog_events_are_parsed()
    {
        var before = _server.ShowBinaryLogs();
        using var db = _server.CreateDatabase("support");
        db.Execute("CREATE TABLE t (\n id INT PRIMARY KEY\n) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
        var (closed, pos) = _server.FlushBinaryLogsAndGetPosition();
        var after = _server.ShowBinaryLogs();

        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(before[^1].LogName, closed);
        Assert.True(File.Exists(_server.BinlogPath(closed)));
        Assert.Equal(after.Single(l => l.LogName == closed).FileSize, new FileInfo(_server.BinlogPath(closed)).Length);
        Assert.Equal(_server.GtidBinlogPos(), pos);
        Assert.Contains(File.ReadAllLines(_server.BinlogIndexPath), l => l.EndsWith(closed, StringComparison.Ordinal));

        var events = _server.ShowBinlogEvents(closed);
        Assert.Equal("Format_desc", events[0].EventType);
        Assert.Equal(4, events[0].Pos);
        Assert.Equal("Rotate", events[^1].EventType);
        Assert.Contains(events, e => e.EventType == "Query" && e.Info.Contains("CREATE TABLE t (\n id INT", StringComparison.Ordinal));
        var txns = ServerTransaction.FromEvents(events);
        Assert.Contains(txns, t => t.Kind == "ddl");
        Assert.Contains(txns, t => t.Kind == "xid");
        Assert.Equal(pos.Split(',').Single(g => g.StartsWith("0-", StringComparison.Ordinal)), txns[^1].Gtid);
    }

    [MariaDbFact]
    public void Mariadb_binlog_headers_line_up_with_show_binlog_events()
    {
        _server.FlushBinaryLogs();
        var closed = _server.ShowBinaryLogs()[^2].LogName;
        var events = _server.ShowBinlogEvents(closed);
        var headers = MariaDbBinlogTool.ReadEventHeaders(_server.BinlogPath(closed));

        Assert.Equal(events.Select(e => (e.Pos, e.EndLogPos)), headers.Select(h => (h.Position, h.EndLogPos)));
        Assert.All(headers, h => Assert.Equal(TimeSpan.Zero, h.Timestamp.Offset));
        Assert.InRange(headers[^1].Timestamp, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [MariaDbFact]
    public void Environment_names_the_server_datadir_as_the_binlog_directory()
    {
        Assert.Equal(Path.GetFullPath(TestServices.MariaDbDataDir!).TrimEnd('/'), Path.GetFullPath(_server.BinlogDirectory).TrimEnd('/'));
        Assert.NotNull(TestServices.MariaDbPort);
        Assert.True(Directory.Exists(TestServices.MariaDbBaseDir));
    }
}
