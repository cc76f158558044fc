using System.Text.Json;

namespace BinlogArchive.Tests.Integration.Discovery;

/// <summary>`binlog-archive inspect` as a DBA runs it.</summary>
public sealed class InspectCommandTests
{
    [Fact]
    public void Json_reports_what_the_reader_found_in_the_bundled_sample()
    {
        var file = Path.Combine(RepoPaths.TestFixtures, "mariadb", "mysql-bin.000001");

        var r = CliRunner.Run("inspect", "--json", file);

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var report = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(file, report.GetProperty("path").GetString());
        Assert.Equal("mariadb", report.GetProperty("flavor").GetString());
        Assert.Equal(new FileInfo(file).Length, report.GetProperty("end_position").GetInt64());
        Assert.True(report.GetProperty("transaction_count").GetInt64() > 0);
        Assert.True(report.GetProperty("event_counts").GetProperty("MARIADB_GTID_EVENT").GetInt64() > 0);
        Assert.Equal("ROTATE_EVENT", report.GetProperty("last_event_type").GetString());
    }

    [Fact]
    public void A_damaged_copy_exits_1_with_the_error_code_and_offset()
    {
        using var tmp = new TempDirectory();
        var copy = tmp.Combine("mysql-bin.000001");
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.TestFixtures, "mariadb", "mysql-bin.000001"));
        bytes[1000] ^= 0x40;
        File.WriteAllBytes(copy, bytes);

        var r = CliRunner.Run("inspect", copy);

        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"ERROR +\[CrcMismatch\] at \d+", r.StdOut);
    }

    [Fact]
    public void A_missing_file_is_named_and_exits_1()
    {
        var r = CliRunner.Run("inspect", "/nonexistent/mysql-bin.000009");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/nonexistent/mysql-bin.000009", r.StdErr);
    }
}
