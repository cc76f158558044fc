using BinlogArchive.Tests.MariaDb;

namespace BinlogArchive.Tests.Unit.Support;

public sealed class MariaDbBatchOutputTests
{
    [Fact]
    public void Splits_rows_and_columns_and_undoes_client_escaping()
    {
        var rows = MariaDbBatchOutput.ParseRows("mysql-bin.000001\t4\tQuery\t1\t120\tCREATE TABLE t (\\n id INT\\n)\n2\t\\\\\t\\t\t\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["mysql-bin.000001", "4", "Query", "1", "120", "CREATE TABLE t (\n id INT\n)"], rows[0]);
        Assert.Equal(["2", "\\", "\t", ""], rows[1]);
    }

    [Fact]
    public void Empty_output_has_no_rows() => Assert.Empty(MariaDbBatchOutput.ParseRows(""));
}
