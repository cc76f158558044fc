using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Tests.Unit.Discovery;

public sealed class BinlogIndexTests
{
    [Fact]
    public void Relative_entries_resolve_against_the_index_directory_and_absolute_ones_stay()
    {
        using var tmp = new TempDirectory();
        var index = tmp.Combine("mysql-bin.index");
        File.WriteAllText(index, "./mysql-bin.000001\n\n/var/log/mysql/mysql-bin.000002\r\nmysql-bin.000003\n");

        var loaded = BinlogIndex.Load(index);

        Assert.Equal(
            [tmp.Combine("mysql-bin.000001"), "/var/log/mysql/mysql-bin.000002", tmp.Combine("mysql-bin.000003")],
            loaded.Entries);
    }

    [Fact]
    public void Locate_ignores_relay_log_indexes()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Combine("mysql-bin.index"), "");
        File.WriteAllText(tmp.Combine("db1-relay-bin.index"), "");

        Assert.Equal(tmp.Combine("mysql-bin.index"), BinlogIndex.Locate(tmp.Path));
    }
}
