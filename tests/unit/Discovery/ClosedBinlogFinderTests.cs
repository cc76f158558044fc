using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Tests.Unit.Discovery;

public sealed class ClosedBinlogFinderTests
{
    private const string Closed840 = "mysql-8.4.0__binlog.000007";
    private const string InUse840 = "mysql-8.4.0__binlog.000007.inuse-snapshot";
    private const string Maria118 = "mariadb-11.8.5__mariadb-repl-bin.000005";

    [SharedFixtureFact]
    public void Newest_file_closed_with_STOP_is_listed()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000006");
        b.Add(RepoPaths.SharedFixture(Closed840), "binlog.000007");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder().Find(tmp.Path);

        Assert.Equal(["binlog.000006", "binlog.000007"], scan.Closed.Select(f => f.Name));
        Assert.Null(scan.ActiveFile);
        Assert.Empty(scan.Issues);
        Assert.Equal([6L, 7L], scan.Closed.Select(f => f.Sequence));
        Assert.True(scan.Closed[1].ClosedCleanly == true);
        Assert.True(scan.Closed.All(f => f.Scanned && f.LastEventAt is not null));
    }

    [SharedFixtureFact]
    public void Newest_file_being_written_is_never_listed()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000006");
        var active = b.Add(RepoPaths.SharedFixture(InUse840), "binlog.000007");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder().Find(tmp.Path);

        Assert.Equal(["binlog.000006"], scan.Closed.Select(f => f.Name));
        Assert.Equal(active, scan.ActiveFile);
    }

    [SharedFixtureFact]
    public void Newest_file_ending_in_ROTATE_without_STOP_is_active()
    {
        // A newest file without STOP is still open for writing, whatever its last event.
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000006");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder().Find(tmp.Path);

        Assert.Empty(scan.Closed);
        Assert.EndsWith("binlog.000006", scan.ActiveFile);
    }

    [SharedFixtureFact]
    public void Index_entry_whose_file_is_missing_is_an_error_naming_it()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.ListMissing("binlog.000005");
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000006");
        b.Add(RepoPaths.SharedFixture(Closed840), "binlog.000007");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder().Find(tmp.Path);

        var issue = Assert.Single(scan.Issues);
        Assert.Equal(DiscoverySeverity.Error, issue.Severity);
        Assert.Equal("BinlogMissing", issue.ErrorId);
        Assert.Contains("binlog.000005", issue.Message);
        Assert.True(scan.HasErrors);
        Assert.Equal(2, scan.Closed.Count);
    }

    [SharedFixtureFact]
    public void File_present_but_not_in_index_is_a_warning()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000005", inIndex: false);
        b.Add(RepoPaths.SharedFixture(Closed840), "binlog.000007");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder().Find(tmp.Path);

        var issue = Assert.Single(scan.Issues);
        Assert.Equal(("BinlogNotInIndex", DiscoverySeverity.Warning), (issue.ErrorId, issue.Severity));
        Assert.EndsWith("binlog.000005", issue.Target);
        Assert.False(scan.HasErrors);
        Assert.Equal(["binlog.000007"], scan.Closed.Select(f => f.Name));
    }

    [SharedFixtureFact]
    public void Older_file_with_in_use_flag_is_held_back_while_recent_and_listed_with_a_warning_later()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        var crashed = b.Add(RepoPaths.SharedFixture(InUse840), "binlog.000006");
        b.Add(RepoPaths.SharedFixture(Closed840), "binlog.000007");
        b.WriteIndex("binlog.index");
        var modified = File.GetLastWriteTimeUtc(crashed);

        var soon = new ClosedBinlogFinder(new DiscoveryOptions { Clock = new FixedClock(modified.AddSeconds(5)) }).Find(tmp.Path);
        var later = new ClosedBinlogFinder(new DiscoveryOptions { Clock = new FixedClock(modified.AddMinutes(10)) }).Find(tmp.Path);

        Assert.Equal(["binlog.000007"], soon.Closed.Select(f => f.Name));
        Assert.Equal("BinlogStillClosing", Assert.Single(soon.Issues).ErrorId);
        Assert.Equal(["binlog.000006", "binlog.000007"], later.Closed.Select(f => f.Name));
        Assert.Equal("BinlogNotClosedCleanly", Assert.Single(later.Issues).ErrorId);
    }

    [SharedFixtureFact]
    public void Quick_mode_reads_heads_only_but_still_judges_the_newest_by_its_end()
    {
        using var tmp = new TempDirectory();
        var b = new BinlogDirectoryBuilder(tmp.Path);
        b.Add(RepoPaths.SharedFixture(Maria118), "binlog.000006");
        b.Add(RepoPaths.SharedFixture(InUse840), "binlog.000007");
        b.WriteIndex("binlog.index");

        var scan = new ClosedBinlogFinder(new DiscoveryOptions { FullScan = false }).Find(tmp.Path);

        var file = Assert.Single(scan.Closed);
        Assert.False(file.Scanned);
        Assert.Null(file.LastEventAt);
        Assert.Null(file.ClosedCleanly);
        Assert.Equal("0-10-262580", file.PreviousGtids?.ToString());
        Assert.EndsWith("binlog.000007", scan.ActiveFile);
    }

    [Fact]
    public void Missing_directory_and_missing_index_are_clear_errors()
    {
        using var tmp = new TempDirectory();

        var noDir = Assert.Throws<BinlogArchiveException>(() => new ClosedBinlogFinder().Find(tmp.Combine("nope")));
        var noIndex = Assert.Throws<BinlogArchiveException>(() => new ClosedBinlogFinder().Find(tmp.Path));

        Assert.Equal("BinlogDirectoryNotFound", noDir.ErrorId);
        Assert.Contains("nope", noDir.Message);
        Assert.Equal("BinlogIndexNotFound", noIndex.ErrorId);
        Assert.NotNull(noIndex.RecommendedAction);
    }

    [Fact]
    public void Several_index_files_must_be_disambiguated()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Combine("a-bin.index"), "");
        File.WriteAllText(tmp.Combine("b-bin.index"), "");
        File.WriteAllText(tmp.Combine("host-relay-bin.index"), "");

        var ex = Assert.Throws<BinlogArchiveException>(() => new ClosedBinlogFinder().Find(tmp.Path));

        Assert.Equal("BinlogIndexAmbiguous", ex.ErrorId);
        Assert.Contains("a-bin.index", ex.Message);
        Assert.DoesNotContain("relay", ex.Message);
    }

    [Fact]
    public void Unreadable_directory_is_a_clear_error()
    {
        if (Environment.UserName == "root")
        {
            // root reads anything; the permission check cannot be provoked, so prove the
            // message path with an index that is a directory instead.
            using var t = new TempDirectory();
            Directory.CreateDirectory(t.Combine("x.index"));
            var ex2 = Assert.Throws<BinlogArchiveException>(() => new ClosedBinlogFinder(new DiscoveryOptions { IndexPath = t.Combine("x.index") }).Find(t.Path));
            Assert.Equal("BinlogIndexUnreadable", ex2.ErrorId);
            return;
        }

        using var tmp = new TempDirectory();
        File.SetUnixFileMode(tmp.Path, UnixFileMode.None);
        var ex = Assert.Throws<BinlogArchiveException>(() => new ClosedBinlogFinder().Find(tmp.Path));
        Assert.Equal("BinlogDirectoryUnreadable", ex.ErrorId);
    }

    private sealed class FixedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow, TimeSpan.Zero);
    }
}
