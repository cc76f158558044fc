namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// Tests that use the shared server run one at a time: FLUSH BINARY LOGS and
/// @@gtid_binlog_pos are server-wide, so a parallel test's writes would land in another
/// test's "closed" file or GTID snapshot.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MariaDbCollection
{
    public const string Name = "MariaDB server";
}
