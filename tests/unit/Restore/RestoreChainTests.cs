using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;

namespace BinlogArchive.Tests.Unit.Restore;

/// <summary>Chain selection and proof: gaps, overlaps, forks, server changes, where replay starts.</summary>
public sealed class RestoreChainTests
{
    private static readonly BackupCoordinates Backup = ChainFixture.MariaDbBackup;

    [Fact]
    public void Latest_replays_every_file_from_the_backup_position_not_from_4()
    {
        var f = ChainFixture.MariaDb();
        var plan = f.Plan(Backup, RestoreTarget.Latest);

        Assert.Equal(["mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000003"], plan.Steps.Select(s => s.File));
        Assert.Equal(400, plan.Steps[0].StartPosition);
        Assert.Equal(4, plan.Steps[1].StartPosition);
        Assert.All(plan.Steps, s => Assert.Null(s.StopPosition));
        Assert.Equal("0-1-2..10", plan.GtidsToApply.ToString());
        Assert.Equal("0-1-10", plan.GtidsAtStop.ToString());
        Assert.False(plan.GtidsToApplyIsUpperBound);
        Assert.Empty(f.Scanned);   // no cut to compute: sidecar metadata is enough
        Assert.True(plan.Chain.GtidContinuityChecked);
        Assert.Contains(plan.Chain.Checks, c => c.StartsWith("mysql-bin.000002 follows mysql-bin.000001", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("ERROR 1950", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_sequence_number_is_a_gap_naming_the_file()
    {
        var f = ChainFixture.MariaDb(withFile2: false);
        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));

        Assert.Equal("RestoreChainGap", ex.ErrorId);
        Assert.Equal("mysql-bin.000002", ex.Target);
        Assert.Contains("mysql-bin.000002 is missing between mysql-bin.000001 and mysql-bin.000003", ex.Message);
        Assert.Contains("Archive mysql-bin.000002", ex.RecommendedAction);
    }

    [Fact]
    public void A_gap_after_the_target_does_not_block_the_restore()
    {
        var f = ChainFixture.MariaDb(withFile2: false);
        var plan = f.Plan(Backup, RestoreTarget.AtTime(ChainFixture.At("2026-11-21T10:00:03Z")));

        var step = Assert.Single(plan.Steps);
        Assert.Equal((400L, 600L), (step.StartPosition, step.StopPosition!.Value));
        Assert.Equal("0-1-2..2", plan.GtidsToApply.ToString());
    }

    [Fact]
    public void Gap_override_carries_on_and_records_it()
    {
        var f = ChainFixture.MariaDb(withFile2: false);
        var plan = f.Plan(Backup, RestoreTarget.Latest, new RestoreOptions { AllowGaps = true });

        Assert.Equal(["mysql-bin.000001", "mysql-bin.000003"], plan.Steps.Select(s => s.File));
        Assert.Contains(plan.Chain.Overrides, o => o.StartsWith("RestoreChainGap", StringComparison.Ordinal) && o.Contains("mysql-bin.000002"));
        Assert.Contains(plan.Warnings, w => w.StartsWith("Overridden (RestoreChainGap)", StringComparison.Ordinal));
    }

    [Fact]
    public void Gtid_gap_names_the_missing_range()
    {
        var f = ChainFixture.MariaDb(withFile2: false);
        f.Archives.Add(f.Archives[0] with { Name = "mysql-bin.000002", Sequence = 2, PreviousGtids = GtidSet.Parse("0-1-3"),
            AddedGtids = GtidSet.Parse("0-1-5..8"), ArchiveKey = "k2" });   // 0-1-4 is nowhere

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreChainGap", ex.ErrorId);
        Assert.Contains("0-1-4..4", ex.Message);
        Assert.Equal("mysql-bin.000003", ex.Target);
    }

    [Fact]
    public void Two_different_archives_with_the_same_sequence_are_an_overlap()
    {
        var f = ChainFixture.MariaDb();
        var f2 = f.Archives[1];
        f.Archives.Add(f2 with { EndPosition = 1800, AddedGtids = GtidSet.Parse("0-1-4..7"), ArchiveKey = "other/mysql-bin.000002" });

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreChainOverlap", ex.ErrorId);
        Assert.Contains("mysql-bin.000002", ex.Message);
        Assert.Contains("other/mysql-bin.000002", ex.Message);
    }

    [Fact]
    public void An_identical_second_copy_is_not_an_overlap()
    {
        var f = ChainFixture.MariaDb();
        f.Archives.Add(f.Archives[1] with { ArchiveKey = "copy/mysql-bin.000002" });

        var plan = f.Plan(Backup, RestoreTarget.Latest);
        Assert.Equal(3, plan.Steps.Count);
        Assert.Contains(plan.Chain.Checks, c => c.Contains("identical copy", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_gtids_between_consecutive_files_are_an_overlap()
    {
        var f = ChainFixture.MariaDb();
        f.Archives[2] = f.Archives[2] with { AddedGtids = GtidSet.Parse("0-1-8..10") };

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreChainOverlap", ex.ErrorId);
        Assert.Contains("0-1-8..8", ex.Message);
    }

    [Fact]
    public void Gtid_discontinuity_is_a_fork()
    {
        var f = ChainFixture.MariaDb();
        f.Archives[2] = f.Archives[2] with { PreviousGtids = GtidSet.Parse("0-1-7") };   // never saw 0-1-8

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreChainFork", ex.ErrorId);
        Assert.Contains("0-1-8..8", ex.Message);
        Assert.Equal("mysql-bin.000003", ex.Target);
    }

    [Fact]
    public void Server_change_mid_chain_is_refused_unless_switchover_is_allowed()
    {
        var f = ChainFixture.MariaDb();
        f.Archives[2] = f.Archives[2] with { ServerId = 2, ServerUuid = "b", AddedGtids = GtidSet.Parse("0-2-9..10") };

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreServerChanged", ex.ErrorId);
        Assert.Contains("server_id 1", ex.Message);
        Assert.Contains("server_id 2 (b)", ex.Message);
        Assert.Contains("AllowServerSwitchover", ex.RecommendedAction);

        var plan = f.Plan(Backup, RestoreTarget.Latest, new RestoreOptions { AllowServerSwitchover = true });
        Assert.True(plan.Steps[2].Switchover);
        Assert.Equal(["server_id 1", "server_id 2 (b)"], plan.Chain.Servers);
        Assert.Equal("0-2-2..10", plan.GtidsToApply.ToString());   // MariaDB sets keep one server id per domain: the highest seq's
    }

    [Fact]
    public void Failover_to_a_replica_starts_inside_its_binlog_after_what_the_old_primary_wrote()
    {
        // The replica (server 2) binlogs replicated transactions too (log_slave_updates): its file 6
        // predates the failover; file 7 straddles it (0-1-7, 0-1-8 replicated, then its own 0-2-9..10).
        var f = ChainFixture.MariaDb(withFile2: true);
        f.Archives.RemoveAt(2);
        f.File("replica-bin.000006", "", "0-1-6", "2026-11-21T09:59:00Z", "2026-11-21T10:00:07Z", 3000, serverId: 2);
        var r7 = f.File("replica-bin.000007", "0-1-6", "0-1-7..8,0-2-9..10", "2026-11-21T10:00:07Z", "2026-11-21T10:01:00Z", 2500, serverId: 2);
        f.Tx(r7, "0-1-7", 300, 500, "2026-11-21T10:00:07Z").Tx(r7, "0-1-8", 500, 800, "2026-11-21T10:00:08Z")
         .Tx(r7, "0-2-9", 800, 1200, "2026-11-21T10:00:40Z").Tx(r7, "0-2-10", 1200, 2400, "2026-11-21T10:00:50Z");

        Assert.Equal("RestoreServerChanged",
            Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest)).ErrorId);

        var plan = f.Plan(Backup, RestoreTarget.Latest, new RestoreOptions { AllowServerSwitchover = true });
        Assert.Equal(["mysql-bin.000001", "mysql-bin.000002", "replica-bin.000007"], plan.Steps.Select(s => s.File));
        Assert.Equal(800, plan.Steps[2].StartPosition);   // 0-1-7 and 0-1-8 came from the old primary already
        Assert.True(plan.Steps[2].Switchover);
        Assert.Equal("0-2-2..10", plan.GtidsToApply.ToString());   // MariaDB sets keep one server id per domain: the highest seq's
        Assert.Contains(plan.Warnings, w => w.Contains("switchover", StringComparison.Ordinal));
    }

    [Fact]
    public void Server_filter_keeps_one_server()
    {
        var f = ChainFixture.MariaDb();
        f.File("mysql-bin.000002", "0-1-3", "0-9-1", "2026-11-21T10:00:05Z", "2026-11-21T10:00:09Z", 500, serverId: 9);

        var plan = f.Plan(Backup, RestoreTarget.Latest, new RestoreOptions { ServerId = 1 });
        Assert.Equal(3, plan.Steps.Count);
        Assert.Equal("RestoreNoArchives", Assert.Throws<BinlogArchiveException>(
            () => f.Plan(Backup, RestoreTarget.Latest, new RestoreOptions { ServerId = 5 })).ErrorId);
    }

    [Fact]
    public void Backup_file_not_archived_names_it()
    {
        var f = ChainFixture.MariaDb();
        f.Archives.RemoveAt(0);

        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(Backup, RestoreTarget.Latest));
        Assert.Equal("RestoreBackupNotInArchive", ex.ErrorId);
        Assert.Equal("mysql-bin.000001", ex.Target);
        Assert.Contains("the archive starts at mysql-bin.000002", ex.Message);
    }

    [Fact]
    public void Backup_gtids_that_disagree_with_its_file_are_a_fork()
    {
        var f = ChainFixture.MariaDb();
        var ex = Assert.Throws<BinlogArchiveException>(() =>
            f.Plan(BackupCoordinates.ParseBinlogInfo("mysql-bin.000001\t400\t0-1-1,5-5-3", "x"), RestoreTarget.Latest));
        Assert.Equal("RestoreChainFork", ex.ErrorId);
        Assert.Contains("5-5-3", ex.Message);
    }

    [Fact]
    public void Gtid_only_backup_starts_at_the_first_transaction_it_lacks()
    {
        var f = ChainFixture.MariaDb();
        var plan = f.Plan(BackupCoordinates.ParseGtidSet("0-1-5"), RestoreTarget.Latest);

        Assert.Equal(["mysql-bin.000002", "mysql-bin.000003"], plan.Steps.Select(s => s.File));
        Assert.Equal(700, plan.Steps[0].StartPosition);
        Assert.Equal("0-1-6..10", plan.GtidsToApply.ToString());
        Assert.Equal(["mysql-bin.000002"], f.Scanned);

        var atBoundary = ChainFixture.MariaDb().Plan(BackupCoordinates.ParseGtidSet("0-1-3"), RestoreTarget.Latest);
        Assert.Equal(("mysql-bin.000002", 4L), (atBoundary.Steps[0].File, atBoundary.Steps[0].StartPosition));
    }

    [Fact]
    public void Gtid_only_backup_older_than_the_archive_is_refused()
    {
        var f = ChainFixture.MariaDb();
        f.Archives.RemoveAt(0);
        var ex = Assert.Throws<BinlogArchiveException>(() => f.Plan(BackupCoordinates.ParseGtidSet("0-1-1"), RestoreTarget.Latest));
        Assert.Equal("RestoreBackupNotInArchive", ex.ErrorId);
        Assert.Contains("0-1-2..3", ex.Message);
    }

    [Fact]
    public void Position_only_backup_marks_the_applied_set_as_an_upper_bound()
    {
        var plan = ChainFixture.MariaDb().Plan(BackupCoordinates.ParseFilePosition("mysql-bin.000001:400"), RestoreTarget.Latest);
        Assert.Equal(400, plan.Steps[0].StartPosition);
        Assert.True(plan.GtidsToApplyIsUpperBound);
        Assert.Equal("0-1-10", plan.GtidsToApply.ToString());
    }
}
