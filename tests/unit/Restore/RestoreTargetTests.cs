using System.Text.Json;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;

namespace BinlogArchive.Tests.Unit.Restore;

/// <summary>Where the replay stops: time (MySQL microseconds, MariaDB whole seconds), GTID and position targets.</summary>
public sealed class RestoreTargetTests
{
    private const string U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string U2 = "00000000-0000-0000-0000-0000000000aa";
    private static readonly BackupCoordinates Backup = ChainFixture.MariaDbBackup;

    private static RestoreTarget At(string iso) => RestoreTarget.AtTime(ChainFixture.At(iso));

    [Fact]
    public void Time_inside_a_file_stops_at_the_end_of_the_last_transaction_committed_by_then()
    {
        var f = ChainFixture.MariaDb();
        var plan = f.Plan(Backup, At("2026-11-21T10:00:09.5Z"));   // 0-1-8 (10:00:08) is in, 0-1-9 (10:00:10) is not

        Assert.Equal(["mysql-bin.000001", "mysql-bin.000002"], plan.Steps.Select(s => s.File));
        Assert.Null(plan.Steps[1].StopPosition);
        Assert.Equal("0-1-2..8", plan.GtidsToApply.ToString());

        var inside = ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:03.5Z"));   // 0-1-2 (:02) in, 0-1-3 (:04) out
        var step = Assert.Single(inside.Steps);
        Assert.Equal((400L, 600L), (step.StartPosition, step.StopPosition!.Value));
        Assert.Equal("0-1-2", inside.LastAppliedGtid);
        Assert.Null(inside.Ambiguity);
        Assert.Contains("mysql-bin.000001:600", inside.StopDescription);
    }

    [Fact]
    public void Only_the_files_holding_the_cut_are_scanned()
    {
        var f = ChainFixture.MariaDb();
        f.Plan(Backup, At("2026-11-21T10:00:12Z"));
        Assert.Equal(["mysql-bin.000003"], f.Scanned);
    }

    [Fact]
    public void MariaDb_time_inside_a_busy_second_is_ambiguous_and_stops_before_that_second()
    {
        var plan = ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:07.400Z"));

        Assert.Equal(500, plan.Steps[^1].StopPosition);   // end of 0-1-4 (10:00:06): none of second :07 applied
        Assert.Equal("0-1-2..4", plan.GtidsToApply.ToString());
        var a = Assert.IsType<RestoreAmbiguity>(plan.Ambiguity);
        Assert.Equal(ChainFixture.At("2026-11-21T10:00:07Z"), a.Second);
        Assert.Equal(["0-1-5", "0-1-6", "0-1-7"], a.Transactions.Select(t => t.Gtid));
        Assert.Equal([700L, 900L, 1100L], a.Transactions.Select(t => t.EndPosition));
        Assert.Contains("before second 2026-11-21T10:00:07Z", a.Boundary);
        Assert.Contains("--stop-gtid", a.Advice);
    }

    [Theory]
    [InlineData("2026-11-21T10:00:07Z", 500L, "0-1-4")]    // on the boundary before :07: its transactions are after T
    [InlineData("2026-11-21T10:00:08Z", 1100L, "0-1-7")]   // on the boundary after :07: all of :07 committed before T
    public void MariaDb_time_on_a_second_boundary_is_exact(string time, long stop, string last)
    {
        var plan = ChainFixture.MariaDb().Plan(Backup, At(time));
        Assert.Null(plan.Ambiguity);
        Assert.Equal(stop, plan.Steps[^1].StopPosition);
        Assert.Equal(last, plan.LastAppliedGtid);
    }

    [Theory]
    [InlineData(true, 900L, "0-1-2..6")]
    [InlineData(false, 700L, "0-1-2..5")]
    public void MariaDb_gtid_targets_cut_exactly_inside_the_ambiguous_second(bool inclusive, long stop, string applied)
    {
        var target = inclusive ? RestoreTarget.StopAfterGtid("0-1-6") : RestoreTarget.StopBeforeGtid("0-1-6");
        var plan = ChainFixture.MariaDb().Plan(Backup, target);
        Assert.Equal(stop, plan.Steps[^1].StopPosition);
        Assert.Equal(applied, plan.GtidsToApply.ToString());
        Assert.Null(plan.Ambiguity);
    }

    [Fact]
    public void Position_target_applies_events_starting_before_it_and_refuses_half_a_transaction()
    {
        var plan = ChainFixture.MariaDb().Plan(Backup, RestoreTarget.ParseStopPosition("mysql-bin.000002:900"));
        Assert.Equal(900, plan.Steps[^1].StopPosition);
        Assert.Equal("0-1-2..6", plan.GtidsToApply.ToString());

        var ex = Assert.Throws<BinlogArchiveException>(() =>
            ChainFixture.MariaDb().Plan(Backup, RestoreTarget.StopAtPosition("mysql-bin.000002", 800)));
        Assert.Equal("RestoreStopPositionInsideTransaction", ex.ErrorId);
        Assert.Contains("Use 700", ex.RecommendedAction);
    }

    [Fact]
    public void Target_before_the_first_event_of_the_backup_file_is_refused()
    {
        var ex = Assert.Throws<BinlogArchiveException>(() => ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T09:59:00Z")));
        Assert.Equal("RestoreTargetBeforeBackup", ex.ErrorId);
        Assert.Contains("Use an older base backup", ex.RecommendedAction);
    }

    [Fact]
    public void Target_before_a_transaction_the_backup_holds_is_refused()
    {
        // The backup holds 0-1-1 (recorded 10:00:01); 10:00:00.5 is before it.
        var ex = Assert.Throws<BinlogArchiveException>(() => ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:00.5Z")));
        Assert.Equal("RestoreTargetBeforeBackup", ex.ErrorId);
        Assert.Contains("0-1-1", ex.Message);

        Assert.Equal("RestoreTargetBeforeBackup", Assert.Throws<BinlogArchiveException>(
            () => ChainFixture.MariaDb().Plan(Backup, RestoreTarget.StopAfterGtid("0-1-1"))).ErrorId);
        Assert.Equal("RestoreTargetBeforeBackup", Assert.Throws<BinlogArchiveException>(
            () => ChainFixture.MariaDb().Plan(Backup, RestoreTarget.StopAtPosition("mysql-bin.000001", 256))).ErrorId);
    }

    [Fact]
    public void Target_beyond_the_archive_is_refused()
    {
        var ex = Assert.Throws<BinlogArchiveException>(() => ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:30Z")));
        Assert.Equal("RestoreTargetBeyondArchive", ex.ErrorId);
        Assert.Contains("2026-11-21T10:00:20Z", ex.Message);

        Assert.Equal("RestoreTargetBeyondArchive", Assert.Throws<BinlogArchiveException>(
            () => ChainFixture.MariaDb().Plan(Backup, RestoreTarget.StopAfterGtid("0-1-11"))).ErrorId);
        Assert.Equal("RestoreTargetBeyondArchive", Assert.Throws<BinlogArchiveException>(
            () => ChainFixture.MariaDb().Plan(Backup, RestoreTarget.ParseStopPosition("mysql-bin.000003:9999"))).ErrorId);

        // At the last archived event exactly: the whole chain, no error.
        var plan = ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:20Z"));
        Assert.Equal("0-1-2..10", plan.GtidsToApply.ToString());
    }

    private static ChainFixture MySql(string file11Previous = U1 + ":1-102," + U2 + ":1-3")
    {
        var f = new ChainFixture();
        var a = f.File("binlog.000010", U1 + ":1-100", U1 + ":101-102," + U2 + ":1-3",
            "2026-06-01T12:00:00Z", "2026-06-01T12:00:00Z", 1400, uuid: U1, flavor: BinlogFlavor.MySql);
        f.TxMicro(a, U1 + ":101", 200, 500, "2026-06-01T12:00:00.000100Z")
         .TxMicro(a, U2 + ":1", 500, 700, "2026-06-01T12:00:00.050000Z")
         .TxMicro(a, U1 + ":102", 700, 900, "2026-06-01T12:00:00.090000Z")
         .TxMicro(a, U2 + ":2", 900, 1100, "2026-06-01T12:00:00.100000Z")
         .TxMicro(a, U2 + ":3", 1100, 1300, "2026-06-01T12:00:00.100300Z");
        var b = f.File("binlog.000011", file11Previous, U1 + ":103," + U2 + ":4-6",
            "2026-06-01T12:00:01Z", "2026-06-01T12:00:05Z", 1100, uuid: U1, flavor: BinlogFlavor.MySql);
        f.TxMicro(b, U2 + ":4", 200, 400, "2026-06-01T12:00:01.000001Z")
         .TxMicro(b, U1 + ":103", 400, 600, "2026-06-01T12:00:02Z")
         .TxMicro(b, U2 + ":5", 600, 800, "2026-06-01T12:00:03Z")
         .TxMicro(b, U2 + ":6", 800, 1000, "2026-06-01T12:00:04Z");
        return f;
    }

    private static BackupCoordinates XtraBackup => BackupCoordinates.ParseBinlogInfo(
        "binlog.000010\t500\t" + U1 + ":1-101\n", "xtrabackup_binlog_info");

    [Fact]
    public void MySql_microsecond_times_separate_two_transactions_300us_apart()
    {
        var plan = MySql().Plan(XtraBackup, At("2026-06-01T12:00:00.100150Z"));
        var step = Assert.Single(plan.Steps);
        Assert.Equal((500L, 1100L), (step.StartPosition, step.StopPosition!.Value));
        Assert.Equal(U2 + ":2", plan.LastAppliedGtid);
        Assert.Null(plan.Ambiguity);

        var later = MySql().Plan(XtraBackup, At("2026-06-01T12:00:00.100300Z"));
        Assert.Equal(U2 + ":3", later.LastAppliedGtid);
        Assert.Null(Assert.Single(later.Steps).StopPosition);   // all of binlog.000010; binlog.000011 began later
    }

    [Fact]
    public void MySql_gtid_sets_with_several_uuids_chain_and_cut_on_the_second_uuid()
    {
        var after = MySql().Plan(XtraBackup, RestoreTarget.StopAfterGtid(U2 + ":5"));
        Assert.Equal(["binlog.000010", "binlog.000011"], after.Steps.Select(s => s.File));
        Assert.Equal(800, after.Steps[1].StopPosition);
        Assert.Equal(GtidSet.Parse(U1 + ":102-103," + U2 + ":1-5"), after.GtidsToApply);
        Assert.Equal(GtidSet.Parse(U1 + ":1-103," + U2 + ":1-5"), after.GtidsAtStop);
        Assert.Contains(after.Warnings, w => w.Contains("gtid_purged", StringComparison.Ordinal));

        var before = MySql().Plan(XtraBackup, RestoreTarget.StopBeforeGtid(U2 + ":5"));
        Assert.Equal(600, before.Steps[1].StopPosition);
        Assert.Equal(GtidSet.Parse(U1 + ":102-103," + U2 + ":1-4"), before.GtidsToApply);

        var latest = MySql().Plan(XtraBackup, RestoreTarget.Latest);
        Assert.Equal(GtidSet.Parse(U1 + ":102-103," + U2 + ":1-6"), latest.GtidsToApply);
    }

    [Fact]
    public void MySql_fork_on_the_second_uuid_is_detected()
    {
        var ex = Assert.Throws<BinlogArchiveException>(() =>
            MySql(file11Previous: U1 + ":1-102," + U2 + ":1-2").Plan(XtraBackup, RestoreTarget.Latest));
        Assert.Equal("RestoreChainFork", ex.ErrorId);
        Assert.Contains(U2 + ":3", ex.Message);
    }

    [Fact]
    public void Local_time_across_a_dst_change_selects_the_right_instant()
    {
        // Europe/Berlin falls back on 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
        var f = new ChainFixture();
        var file = f.File("mysql-bin.000001", "", "0-1-3", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", 900);
        f.Tx(file, "0-1-1", 256, 400, "2026-10-25T00:10:00Z")
         .Tx(file, "0-1-2", 400, 600, "2026-10-25T01:00:00Z")
         .Tx(file, "0-1-3", 600, 800, "2026-10-25T01:45:00Z");
        var backup = BackupCoordinates.ParseFilePosition("mysql-bin.000001:256");

        var first = f.Plan(backup, RestoreTarget.AtTime(RestoreTimeParser.Parse("2026-10-25T02:30:00+02:00", "Europe/Berlin")));
        Assert.Equal("0-1-1", first.LastAppliedGtid);
        var second = f.Plan(backup, RestoreTarget.AtTime(RestoreTimeParser.Parse("2026-10-25T02:30:00+01:00", "Europe/Berlin")));
        Assert.Equal("0-1-2", second.LastAppliedGtid);
        Assert.Equal("RestoreTimeAmbiguous", Assert.Throws<BinlogArchiveException>(
            () => RestoreTimeParser.Parse("2026-10-25T02:30:00", "Europe/Berlin")).ErrorId);
    }

    [Fact]
    public void Plan_serialises_to_json_for_plan_only()
    {
        var plan = ChainFixture.MariaDb().Plan(Backup, At("2026-11-21T10:00:07.400Z"));
        using var doc = JsonDocument.Parse(plan.ToJson());
        var root = doc.RootElement;

        Assert.Equal("mariadb", root.GetProperty("flavor").GetString());
        Assert.Equal(400, root.GetProperty("steps")[0].GetProperty("start_position").GetInt64());
        Assert.Equal(500, root.GetProperty("steps")[1].GetProperty("stop_position").GetInt64());
        Assert.Equal("mysql-bin.000002", root.GetProperty("steps")[1].GetProperty("file").GetString());
        Assert.Equal("0-1-2..4", root.GetProperty("gtids_to_apply").GetString());
        Assert.Equal("time", root.GetProperty("target").GetProperty("kind").GetString());
        Assert.Equal(3, root.GetProperty("ambiguity").GetProperty("transactions").GetArrayLength());
        Assert.Equal("0-1-1", root.GetProperty("backup").GetProperty("gtids").GetString());
        Assert.True(root.GetProperty("chain").GetProperty("checks").GetArrayLength() > 0);
    }
}
