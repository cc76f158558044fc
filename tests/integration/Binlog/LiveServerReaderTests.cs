using BinlogArchive.Core.Binlog;
using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Integration.Binlog;

/// <summary>
/// The reader against binlogs the test MariaDB writes now, compared with what the server reports
/// about them (SHOW BINARY LOGS, SHOW BINLOG EVENTS, @@gtid_binlog_pos) and with mariadb-binlog's
/// event times. Needs ./build.sh test (or tests/services/mariadb.sh and its env vars).
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class LiveServerReaderTests
{
    // Row and statement formats, DDL, a temporary table across a rotation, a burst of small
    // transactions, and one transaction over 2 MiB. One client session: the temporary table
    // and SET SESSION must survive the FLUSH in the middle.
    private const string Workload = """
        SET SESSION binlog_format = 'ROW';
        CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(32) NOT NULL, descr VARCHAR(200) NOT NULL,
                            qty INT NOT NULL, updated_at DATETIME NOT NULL) ENGINE=InnoDB;
        INSERT INTO items VALUES (1, 'SKU-0001', 'blue ceramic mug, 350 ml', 10, '2026-01-01 10:00:00');
        INSERT INTO items VALUES (2, 'SKU-0002', 'green ceramic mug, 350 ml', 4, '2026-01-01 10:00:00');
        INSERT INTO items VALUES (3, 'SKU-0003', 'teapot, cast iron, 1 l', 2, '2026-01-01 10:00:00');
        BEGIN;
        UPDATE items SET qty = qty - 1 WHERE id = 1;
        DELETE FROM items WHERE id = 2;
        COMMIT;
        ALTER TABLE items ADD COLUMN warehouse VARCHAR(16) NOT NULL DEFAULT 'main';
        SET SESSION binlog_format = 'STATEMENT';
        CREATE TEMPORARY TABLE incoming LIKE items;
        INSERT INTO incoming (id, sku, descr, qty, updated_at) VALUES (4, 'SKU-0004', 'tea towel, linen', 25, '2026-01-02 09:00:00');
        FLUSH BINARY LOGS;
        INSERT INTO items SELECT * FROM incoming;
        DROP TEMPORARY TABLE incoming;
        UPDATE items SET warehouse = 'north' WHERE id = 4;
        SET SESSION binlog_format = 'ROW';
        BEGIN;
        INSERT INTO items
          SELECT 1000 + seq, CONCAT('SKU-', LPAD(seq, 6, '0')),
                 CONCAT(ELT(1 + seq % 4, 'mug', 'plate', 'bowl', 'cup'), ' from the ',
                        ELT(1 + seq % 3, 'harbour', 'meadow', 'city'), ' collection, size ', seq % 7,
                        ', restocked from supplier batch ', seq DIV 100),
                 seq % 50, '2026-01-03 00:00:00' + INTERVAL seq SECOND, 'south'
          FROM seq_1_to_30000;
        COMMIT;
        CREATE TABLE scratch (k INT PRIMARY KEY) ENGINE=InnoDB;
        DROP TABLE scratch;
        """;

    [MariaDbFact]
    public void Reader_matches_the_server_for_a_fresh_workload()
    {
        var server = MariaDbServer.Shared;
        using var db = server.CreateDatabase("live_reader");
        var (before, _) = server.FlushBinaryLogsAndGetPosition();
        db.Execute(Workload);
        var (newestClosed, gtidBinlogPos) = server.FlushBinaryLogsAndGetPosition();

        var logs = server.ShowBinaryLogs();
        var names = logs.Select(l => l.LogName).ToList();
        var files = names.Skip(names.IndexOf(before) + 1).TakeWhile(n => string.CompareOrdinal(n, newestClosed) <= 0).ToList();
        Assert.Equal(2, files.Count); // the workload's own FLUSH split it in two

        BinlogFileSummary? previous = null;
        var all = new List<BinlogTransaction>();
        foreach (var file in files)
        {
            var path = server.BinlogPath(file);
            var events = server.ShowBinlogEvents(file);
            var expected = ServerTransaction.FromEvents(events);
            var seen = new List<BinlogTransaction>();
            var summary = BinlogFileReader.Read(path, new BinlogScanOptions { OnTransaction = seen.Add });
            all.AddRange(seen);

            Assert.Empty(summary.Errors);
            Assert.True(summary.ClosedCleanly, file);
            Assert.Equal(logs.Single(l => l.LogName == file).FileSize, summary.EndPosition);
            Assert.Equal(events[^1].EndLogPos, summary.EndPosition);
            Assert.Equal(events.Count, summary.EventCount);
            Assert.Equal(expected.Count, summary.TransactionCount);
            Assert.Equal(
                expected.Select(t => (t.Gtid, t.GtidPos, t.EndLogPos)).ToList(),
                seen.Select(t => ((string?)t.Gtid ?? "<anonymous>", t.StartPosition, t.EndPosition)).ToList());

            // The server's own statement of this file's starting state.
            var gtidList = events.Single(e => e.EventType == "Gtid_list").Info.Trim().Trim('[', ']');
            Assert.Equal(gtidList, summary.PreviousGtids.ToString());
            if (previous is not null)
            {
                Assert.Equal(previous.ExecutedGtids, summary.PreviousGtids);
            }

            // Times: mariadb-binlog (TZ=UTC) is the reference, whole seconds.
            var headers = MariaDbBinlogTool.ReadEventHeaders(path);
            Assert.Equal(events.Select(e => e.Pos), headers.Select(h => h.Position));
            Assert.Equal(headers[0].Timestamp, summary.FirstEventAt);
            Assert.Equal(headers[^1].Timestamp, summary.LastEventAt);
            var timeAt = headers.ToDictionary(h => h.Position, h => h.Timestamp);
            foreach (var (t, r) in expected.Zip(seen))
            {
                Assert.InRange(r.CommitTime, timeAt[t.GtidPos], timeAt[t.EndPos]);
                Assert.False(r.MicrosecondPrecision);
            }

            previous = summary;
        }

        // The executed set of the newest closed file is the server's position right after the
        // rotation, and the next file's GTID_LIST says the same.
        Assert.Equal(gtidBinlogPos, previous!.ExecutedGtids.ToString());
        var next = names[names.IndexOf(newestClosed) + 1];
        Assert.Equal(gtidBinlogPos, server.ShowBinlogEvents(next).Single(e => e.EventType == "Gtid_list").Info.Trim().Trim('[', ']'));

        var largest = all.Max(t => t.EndPosition - t.StartPosition);
        Assert.True(largest > 2 * 1024 * 1024, $"largest transaction is {largest} bytes; the workload must write one over 2 MiB");
    }

    [MariaDbFact]
    public void Previous_set_of_every_closed_file_is_the_executed_set_of_the_one_before()
    {
        var server = MariaDbServer.Shared;
        using (var db = server.CreateDatabase("chain"))
        {
            db.Execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
        }

        server.FlushBinaryLogs();
        var closed = server.ShowBinaryLogs().SkipLast(1).ToList(); // the last one is open
        Assert.NotEmpty(closed);
        var summaries = closed.Select(l => BinlogFileReader.Read(server.BinlogPath(l.LogName))).ToList();
        foreach (var s in summaries)
        {
            Assert.Empty(s.Errors);
        }

        for (var i = 1; i < summaries.Count; i++)
        {
            Assert.Equal(summaries[i - 1].ExecutedGtids, summaries[i].PreviousGtids);
        }
    }

    [MariaDbFact]
    public void The_open_binlog_is_flagged_in_use()
    {
        var server = MariaDbServer.Shared;
        var open = server.ShowBinaryLogs()[^1];
        var summary = BinlogFileReader.Read(server.BinlogPath(open.LogName));

        // MariaDB sets LOG_EVENT_BINLOG_IN_USE_F on the FDE of the file it is writing and clears
        // it on rotation/shutdown; the file has no ROTATE/STOP yet.
        Assert.True(summary.InUseFlag);
        Assert.False(summary.ClosedCleanly);
    }
}
