using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Unit.Support;

public sealed class MariaDbBinlogToolTests
{
    // Trimmed from real `TZ=UTC mariadb-binlog --base64-output=never` output (MariaDB 10.11).
    private const string Output = """
        /*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;
        DELIMITER /*!*/;
        # at 4
        #261122  4:23:37 server id 1  end_log_pos 256 CRC32 0x8a0e5a2e 	Start: binlog v 4, server v 10.11.19-MariaDB-0+deb12u1-log created 261122  4:23:37
        # at 256
        #261122  4:23:37 server id 1  end_log_pos 285 CRC32 0x2fb2a0f5 	Gtid list []
        # at 328
        #261122 14:23:38 server id 7  end_log_pos 370 CRC32 0x11d3a8c6 	GTID 0-7-1 ddl
        /*M!100101 SET @@session.skip_parallel_replication=0*//*!*/;
        # at 1160
        # at 1572
        #261122 14:23:39 server id 7  end_log_pos 1572 CRC32 0x9069d38a 	Annotate_rows:
        #Q> INSERT INTO customers
        #Q>   SELECT 1
        #261122 14:23:39 server id 7  end_log_pos 1635 CRC32 0x53d1e70d 	Table_map: `shop`.`customers` mapped to number 18
        # at 1635
        #261122 14:23:39 server id 7  end_log_pos 4315 CRC32 0xaa9f9806 	Write_rows: table id 18 flags: STMT_END_F
        """;

    [Fact]
    public void Parses_positions_times_in_utc_server_ids_and_end_positions()
    {
        var headers = MariaDbBinlogTool.ParseEventHeaders(Output.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(6, headers.Count);
        Assert.Equal(new BinlogToolEventHeader(4, new DateTimeOffset(2026, 11, 22, 4, 23, 37, TimeSpan.Zero), 1, 256), headers[0]);
        Assert.Equal(256, headers[1].Position);
        Assert.Equal(new BinlogToolEventHeader(328, new DateTimeOffset(2026, 11, 22, 14, 23, 38, TimeSpan.Zero), 7, 370), headers[2]);
        // Annotate_rows and Table_map share a run of "# at" lines: each header takes the oldest.
        Assert.Equal([(1160L, 1572L), (1572L, 1635L), (1635L, 4315L)], headers.Skip(3).Select(h => (h.Position, h.EndLogPos)));
    }
}
