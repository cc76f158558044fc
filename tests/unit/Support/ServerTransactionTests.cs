using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Unit.Support;

public sealed class ServerTransactionTests
{
    private static BinlogEventRow Row(long pos, string type, long end, string info = "") =>
        new("mysql-bin.000002", pos, type, 1, end, info);

    [Fact]
    public void Groups_ddl_xid_and_non_transactional_commit_like_the_manifest()
    {
        // Shapes seen in tests/fixtures/mariadb/mysql-bin.000002 and .000003.
        var rows = new[]
        {
            Row(4, "Format_desc", 256, "Server ver: 10.11.19-MariaDB-0+deb12u1-log, Binlog ver: 4"),
            Row(256, "Gtid_list", 299, "[0-1-10]"),
            Row(299, "Binlog_checkpoint", 342, "mysql-bin.000001"),
            Row(385, "Gtid", 427, "GTID 0-1-11"),
            Row(427, "Query", 602, "use `shop`; CREATE TABLE audit_log (id INT) ENGINE=MyISAM"),
            Row(602, "Gtid", 644, "BEGIN GTID 0-1-12"),
            Row(644, "Query", 880, "use `shop`; INSERT INTO orders VALUES (5)"),
            Row(880, "Xid", 911, "COMMIT /* xid=26 */"),
            Row(1021, "Gtid", 1063, "BEGIN GTID 1-1-1"),
            Row(1063, "Intvar", 1095, "INSERT_ID=2"),
            Row(1095, "Query", 1225, "use `shop`; INSERT INTO audit_log (msg) VALUES ('x')"),
            Row(1225, "Query", 1298, "COMMIT"),
            Row(1298, "Rotate", 1345, "mysql-bin.000004;pos=4"),
        };

        var txns = ServerTransaction.FromEvents(rows);

        Assert.Equal(
            [("0-1-11", 385L, 602L, "ddl"), ("0-1-12", 602L, 911L, "xid"), ("1-1-1", 1021L, 1298L, "commit")],
            txns.Select(t => (t.Gtid, t.GtidPos, t.EndLogPos, t.Kind)).ToList());
    }
}
