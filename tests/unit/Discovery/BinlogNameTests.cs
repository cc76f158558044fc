using BinlogArchive.Core.Discovery;

namespace BinlogArchive.Tests.Unit.Discovery;

public sealed class BinlogNameTests
{
    [Theory]
    [InlineData("mysql-bin.000001", "mysql-bin", 1L)]
    [InlineData("binlog.1000000", "binlog", 1000000L)]
    [InlineData("host.with.dots-bin.000042", "host.with.dots-bin", 42L)]
    public void Parses_base_name_and_sequence(string file, string baseName, long sequence)
    {
        Assert.True(BinlogName.TryParse(file, out var name));
        Assert.Equal(new BinlogName(baseName, sequence), name);
    }

    [Theory]
    [InlineData("mysql-bin.index")]
    [InlineData("mysql-bin.")]
    [InlineData(".000001")]
    [InlineData("mysql-bin.0000x1")]
    [InlineData("noext")]
    public void Rejects_non_binlog_names(string file) => Assert.False(BinlogName.TryParse(file, out _));
}
