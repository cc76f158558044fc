using System.Globalization;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Restore;

namespace BinlogArchive.Tests.Unit.Restore;

/// <summary>
/// Recorded-fixture builders in the dbatools style: small archive lists (what sidecars say) plus
/// the transactions of each file (what the reader would report), keyed by archive key.
/// </summary>
internal sealed class ChainFixture
{
    private readonly Dictionary<string, List<BinlogTransaction>> _transactions = [];

    public List<ArchivedBinlog> Archives { get; } = [];

    /// <summary>Files whose transactions the planner asked for, in order.</summary>
    public List<string> Scanned { get; } = [];

    public static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public ArchivedBinlog File(string name, string previous, string added, string first, string last, long end,
        uint serverId = 1, string? uuid = null, BinlogFlavor flavor = BinlogFlavor.MariaDb, string? key = null)
    {
        var seq = long.Parse(name[(name.LastIndexOf('.') + 1)..], CultureInfo.InvariantCulture);
        var a = new ArchivedBinlog(name, seq, serverId, uuid, flavor, At(first), At(last), 4, end,
            GtidSet.Parse(previous, flavor), GtidSet.Parse(added, flavor), key ?? $"srv{serverId}/{name}");
        Archives.Add(a);
        _transactions.TryAdd(a.ArchiveKey, []);
        return a;
    }

    /// <summary>A whole-second (MariaDB) transaction.</summary>
    public ChainFixture Tx(ArchivedBinlog file, string? gtid, long start, long end, string commit)
    {
        _transactions[file.ArchiveKey].Add(new BinlogTransaction(gtid, start, end, At(commit), false, false));
        return this;
    }

    /// <summary>A MySQL 8.0+ transaction with a microsecond commit timestamp.</summary>
    public ChainFixture TxMicro(ArchivedBinlog file, string? gtid, long start, long end, string commit)
    {
        _transactions[file.ArchiveKey].Add(new BinlogTransaction(gtid, start, end, At(commit), true, false));
        return this;
    }

    public IEnumerable<BinlogTransaction> TransactionsOf(ArchivedBinlog a)
    {
        Scanned.Add(a.Name);
        return _transactions[a.ArchiveKey];
    }

    public RestorePlan Plan(BackupCoordinates backup, RestoreTarget target, RestoreOptions? options = null) =>
        RestorePlanner.Plan(Archives, backup, target, options, TransactionsOf);

    /// <summary>
    /// MariaDB, server 1, domain 0: three files; the backup (mariadb-backup style) sits in file 1
    /// after GTID 0-1-1. Second 10:00:07 holds three transactions (0-1-5, 0-1-6, 0-1-7).
    /// </summary>
    public static ChainFixture MariaDb(bool withFile2 = true)
    {
        var f = new ChainFixture();
        var f1 = f.File("mysql-bin.000001", "", "0-1-3", "2026-11-21T10:00:00Z", "2026-11-21T10:00:05Z", 1000);
        f.Tx(f1, "0-1-1", 256, 400, "2026-11-21T10:00:01Z")
         .Tx(f1, "0-1-2", 400, 600, "2026-11-21T10:00:02Z")
         .Tx(f1, "0-1-3", 600, 950, "2026-11-21T10:00:04Z");
        if (withFile2)
        {
            var f2 = f.File("mysql-bin.000002", "0-1-3", "0-1-4..8", "2026-11-21T10:00:05Z", "2026-11-21T10:00:09Z", 2000);
            f.Tx(f2, "0-1-4", 300, 500, "2026-11-21T10:00:06Z")
             .Tx(f2, "0-1-5", 500, 700, "2026-11-21T10:00:07Z")
             .Tx(f2, "0-1-6", 700, 900, "2026-11-21T10:00:07Z")
             .Tx(f2, "0-1-7", 900, 1100, "2026-11-21T10:00:07Z")
             .Tx(f2, "0-1-8", 1100, 1900, "2026-11-21T10:00:08Z");
        }

        var f3 = f.File("mysql-bin.000003", "0-1-8", "0-1-9..10", "2026-11-21T10:00:09Z", "2026-11-21T10:00:20Z", 1500);
        f.Tx(f3, "0-1-9", 300, 600, "2026-11-21T10:00:10Z")
         .Tx(f3, "0-1-10", 600, 1400, "2026-11-21T10:00:15Z");
        return f;
    }

    public static BackupCoordinates MariaDbBackup => BackupCoordinates.ParseBinlogInfo("mysql-bin.000001\t400\t0-1-1\n", "fixture");
}
