using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;
using BinlogArchive.Tests.Unit.Support;

namespace BinlogArchive.Tests.Unit.Restore;

public sealed class BackupCoordinatesTests
{
    private const string U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string U2 = "00000000-0000-0000-0000-0000000000aa";

    [Fact]
    public void Reads_mariadb_backup_10_11_xtrabackup_binlog_info()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("xtrabackup_binlog_info"), "mysql-bin.000001\t1172508\t0-1-47\n");

        var c = BackupCoordinates.FromBackupDirectory(dir.Path);
        Assert.Equal(("mysql-bin.000001", 1172508L), (c.File, c.Position!.Value));
        Assert.Equal("0-1-47", c.Gtids!.ToString());
        Assert.Equal(BinlogFlavor.MariaDb, c.Gtids.Flavor);
        Assert.EndsWith("xtrabackup_binlog_info", c.Source);
    }

    [Fact]
    public void Prefers_mariadb_backup_binlog_info_when_both_exist()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("xtrabackup_binlog_info"), "mysql-bin.000001\t4\t0-1-1\n");
        File.WriteAllText(dir.File("mariadb_backup_binlog_info"), "mysql-bin.000002\t385\t0-1-10,1-1-1\n");

        var c = BackupCoordinates.FromBackupDirectory(dir.Path);
        Assert.Equal(("mysql-bin.000002", 385L), (c.File, c.Position!.Value));
        Assert.Equal("0-1-10,1-1-1", c.Gtids!.ToString());
    }

    [Fact]
    public void Reads_xtrabackup_mysql_gtid_set_spanning_lines()
    {
        var c = BackupCoordinates.ParseBinlogInfo($"mysql-bin.000003\t195\t{U1}:1-10,\n{U2}:1-5\n", "xtrabackup_binlog_info");
        Assert.Equal(("mysql-bin.000003", 195L), (c.File, c.Position!.Value));
        Assert.Equal(GtidSet.Parse($"{U1}:1-10,{U2}:1-5"), c.Gtids);
    }

    [Fact]
    public void File_and_position_without_gtids()
    {
        var c = BackupCoordinates.ParseBinlogInfo("binlog.000007\t157\n", "x");
        Assert.Null(c.Gtids);
        Assert.True(c.HasPosition);
    }

    [Fact]
    public void Missing_and_malformed_files_are_clear_errors()
    {
        using var dir = new TempDir();
        var missing = Assert.Throws<BinlogArchiveException>(() => BackupCoordinates.FromBackupDirectory(dir.Path));
        Assert.Equal("BackupCoordinatesMissing", missing.ErrorId);
        Assert.Contains("xtrabackup_binlog_info", missing.Message);
        Assert.Contains("--from FILE:POS", missing.RecommendedAction);

        Assert.Equal("BackupDirectoryNotFound", Assert.Throws<BinlogArchiveException>(
            () => BackupCoordinates.FromBackupDirectory(dir.File("nope"))).ErrorId);

        foreach (var bad in new[] { "", "mysql-bin.000001", "mysql-bin.000001\tabc\t0-1-1", "mysql-bin.000001\t400\t0-1-x" })
        {
            File.WriteAllText(dir.File("xtrabackup_binlog_info"), bad);
            var ex = Assert.Throws<BinlogArchiveException>(() => BackupCoordinates.FromBackupDirectory(dir.Path));
            Assert.Equal("BackupCoordinatesInvalid", ex.ErrorId);
            Assert.Contains("xtrabackup_binlog_info", ex.Message);
        }
    }

    [Fact]
    public void Cli_forms()
    {
        var from = BackupCoordinates.ParseFilePosition("mysql-bin.000042:1234");
        Assert.Equal(("mysql-bin.000042", 1234L), (from.File, from.Position!.Value));
        var gtid = BackupCoordinates.ParseGtidSet($"{U1}:1-10,{U2}:1-5");
        Assert.Null(gtid.File);
        Assert.Equal(BinlogFlavor.MySql, gtid.Gtids!.Flavor);

        foreach (var bad in new[] { "mysql-bin.000042", "mysql-bin.000042:", ":55", "mysql-bin.000042:x", "f:3" })
        {
            Assert.Equal("RestoreArgumentInvalid", Assert.Throws<BinlogArchiveException>(() => BackupCoordinates.ParseFilePosition(bad)).ErrorId);
        }

        Assert.Equal("RestoreArgumentInvalid", Assert.Throws<BinlogArchiveException>(() => BackupCoordinates.ParseGtidSet("0-1")).ErrorId);
        Assert.Equal("RestoreArgumentInvalid", Assert.Throws<BinlogArchiveException>(() => RestoreTarget.StopAfterGtid("nonsense")).ErrorId);
    }
}
