using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Gtid;

public sealed class GtidSetTests
{
    private const string A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string B = "00000000-0000-0000-0000-0000000000aa";

    [Theory]
    [InlineData("", "")]
    [InlineData("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7", A + ":1-5:7")]
    [InlineData(A + ":1-5:6-7", A + ":1-7")]
    [InlineData(A + ":7:1-5:3", A + ":1-5:7")]
    [InlineData(A + ":1-3,\n" + B + ":2", B + ":2," + A + ":1-3")]
    [InlineData(" " + A + ":1-3 ,\r\n  " + A + ":4-9 ", A + ":1-9")]
    [InlineData(A + ":1-13:MyTag:1-2", A + ":1-13:mytag:1-2")]
    [InlineData(A + ":t2:5:1-3:t1:1", A + ":t1:1:t2:1-3:5")]   // intervals after a tag belong to it
    [InlineData("3e11fa4771ca11e19e33c80aa9429562:4", A + ":4")]
    public void Mysql_parse_and_canonical_text(string text, string canonical)
    {
        var set = GtidSet.Parse(text);
        Assert.Equal(canonical, set.ToString());
        Assert.Equal(set, GtidSet.Parse(set.ToString()));
        if (canonical.Length > 0)
        {
            Assert.Equal(BinlogFlavor.MySql, set.Flavor);
        }
    }

    [Theory]
    [InlineData("0-1-5", "0-1-5")]
    [InlineData("0-10-262581..262667", "0-10-262581..262667")]
    [InlineData("0-1-7..7", "0-1-7..7")]
    [InlineData("0-1-1..5", "0-1-5")]
    [InlineData("1-2-3, 0-1-5", "0-1-5,1-2-3")]
    [InlineData("0-1-5,0-2-6..9", "0-2-9")]
    [InlineData("0-1-5,0-2-8..9", "0-2-5,0-2-8..9")]
    [InlineData("0-1-0", "")]
    public void Mariadb_parse_and_canonical_text(string text, string canonical)
    {
        var set = GtidSet.Parse(text);
        Assert.Equal(canonical, set.ToString());
        Assert.Equal(set, GtidSet.Parse(set.ToString()));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData(A)]
    [InlineData(A + ":0-3")]
    [InlineData(A + ":5-3")]
    [InlineData(A + ":1-3,")]
    [InlineData(A + ":tag")]
    [InlineData(A + ":1-2:9bad:3")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956:1")]
    [InlineData(A + ":1-x")]
    [InlineData("0-1")]
    [InlineData("0-1-5..3")]
    [InlineData("0-1-0..3")]
    [InlineData("0-1-a")]
    [InlineData("99999999999-1-3")]
    public void Bad_text_is_a_format_exception_that_says_what(string text)
    {
        var ex = Assert.Throws<FormatException>(() => GtidSet.Parse(text));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.False(GtidSet.TryParse(text, BinlogFlavor.Unknown, out var set));
        Assert.Null(set);
    }

    [Fact]
    public void Mysql_union_subtract_contains_subset()
    {
        var x = GtidSet.Parse($"{A}:1-10:20-30,{B}:1-3:tag:1-5");
        var y = GtidSet.Parse($"{A}:5-25,{B}:tag:3-9");

        Assert.Equal($"{B}:1-3:tag:1-9,{A}:1-30", x.Union(y).ToString());
        Assert.Equal($"{B}:1-3:tag:1-2,{A}:1-4:26-30", x.Subtract(y).ToString());
        Assert.Equal($"{B}:tag:6-9,{A}:11-19", y.Subtract(x).ToString());
        Assert.True(x.Contains($"{A}:7"));
        Assert.False(x.Contains($"{A}:15"));
        Assert.True(x.Contains($"{B}:tag:5"));
        Assert.False(x.Contains($"{B}:other:5"));
        Assert.False(x.Contains($"{B}:4"));
        Assert.True(x.IsSubsetOf(x.Union(y)));
        Assert.False(x.IsSubsetOf(y));
        Assert.True(GtidSet.Empty(BinlogFlavor.MySql).IsSubsetOf(x));
        Assert.True(x.Subtract(x).IsEmpty);
        Assert.Equal(x.Union(y), y.Union(x));
        Assert.Equal(x.Union(y).GetHashCode(), y.Union(x).GetHashCode());
        Assert.Throws<FormatException>(() => x.Contains("garbage"));
    }

    [Fact]
    public void Mariadb_union_subtract_contains_subset()
    {
        var prev = GtidSet.Parse("0-10-262580");
        var added = GtidSet.Parse("0-10-262581..262667");

        Assert.Equal(GtidSet.Parse("0-10-262667"), prev.Union(added));
        Assert.True(prev.Union(added).Contains("0-10-262600"));
        Assert.True(prev.Union(added).Contains("0-99-262600"));   // domain and seq only
        Assert.False(prev.Contains("0-10-262581"));
        Assert.False(prev.Contains("1-10-5"));
        Assert.True(added.IsSubsetOf(prev.Union(added)));
        Assert.False(prev.Union(added).IsSubsetOf(added));
        Assert.Equal(added, prev.Union(added).Subtract(prev));

        // Union keeps the server id of the higher max seq.
        Assert.Equal("0-2-150", GtidSet.Parse("0-1-100").Union(GtidSet.Parse("0-2-150")).ToString());
        Assert.Equal("0-2-150", GtidSet.Parse("0-2-150").Union(GtidSet.Parse("0-1-100")).ToString());
        Assert.Equal("0-1-100,1-3-4..4", GtidSet.Parse("0-1-100").Union(GtidSet.Parse("1-3-4..4")).ToString());
        Assert.NotEqual(GtidSet.Parse("0-1-5"), GtidSet.Parse("0-2-5"));
    }

    [Fact]
    public void Flavors_and_empty_sets()
    {
        var mysql = GtidSet.Parse($"{A}:1");
        var mariadb = GtidSet.Parse("0-1-1");

        Assert.Equal(BinlogFlavor.MariaDb, mariadb.Flavor);
        Assert.Equal(GtidSet.Empty(BinlogFlavor.MySql), GtidSet.Empty(BinlogFlavor.MariaDb));
        Assert.Equal(mysql, GtidSet.Empty(BinlogFlavor.MariaDb).Union(mysql));
        Assert.Equal(mysql, mysql.Union(GtidSet.Parse("")));
        Assert.Throws<ArgumentException>(() => mysql.Union(mariadb));
        Assert.False(mysql.IsSubsetOf(mariadb));
        Assert.False(mariadb.Contains($"{A}:1"));
        Assert.Throws<FormatException>(() => GtidSet.Parse("0-1-1", BinlogFlavor.MySql));
        Assert.Equal("", GtidSet.Parse("  \n ").ToString());
    }

    [Fact]
    public void Random_sets_obey_set_algebra()
    {
        var random = new Random(11);
        for (int round = 0; round < 300; round++)
        {
            bool maria = round % 2 == 0;
            var (x, xs) = RandomSet(random, maria);
            var (y, ys) = RandomSet(random, maria);

            Assert.Equal(x, GtidSet.Parse(x.ToString()));
            Assert.Equal(xs.Union(ys).Order(), Members(x.Union(y), maria));
            Assert.Equal(xs.Except(ys).Order(), Members(x.Subtract(y), maria));
            Assert.Equal(xs.IsSubsetOf(ys), x.IsSubsetOf(y));
            foreach (var m in xs.Take(5))
            {
                Assert.True(x.Contains(Gtid(m, maria)));
                Assert.Equal(ys.Contains(m), y.Contains(Gtid(m, maria)));
            }
        }
    }

    private static string Gtid((int Key, int N) m, bool maria) => maria ? $"{m.Key}-1-{m.N}" : $"{Uuid(m.Key)}:{m.N}";

    private static string Uuid(int key) => $"00000000-0000-0000-0000-{key:x12}";

    private static (GtidSet Set, HashSet<(int, int)> Members) RandomSet(Random random, bool maria)
    {
        var members = new HashSet<(int, int)>();
        var parts = new List<string>();
        int count = random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            int key = random.Next(0, 3);
            int first = random.Next(1, 30);
            int last = first + random.Next(0, 6);
            for (int n = first; n <= last; n++)
            {
                members.Add((key, n));
            }

            parts.Add(maria ? $"{key}-1-{first}..{last}" : $"{Uuid(key)}:{first}-{last}");
        }

        return (GtidSet.Parse(string.Join(",", parts), maria ? BinlogFlavor.MariaDb : BinlogFlavor.MySql), members);
    }

    private static IEnumerable<(int, int)> Members(GtidSet set, bool maria)
    {
        var result = new List<(int, int)>();
        if (set.IsEmpty)
        {
            return result;
        }

        foreach (var element in set.ToString().Split(','))
        {
            int key;
            int first, last;
            if (maria)
            {
                var p = element.Split('-', 3);
                key = int.Parse(p[0]);
                var r = p[2].Split("..");
                (first, last) = r.Length == 1 ? (1, int.Parse(r[0])) : (int.Parse(r[0]), int.Parse(r[1]));
                for (int n = first; n <= last; n++)
                {
                    result.Add((key, n));
                }

                continue;
            }

            var parts = element.Split(':');
            key = Convert.ToInt32(parts[0][^12..], 16);
            foreach (var iv in parts.Skip(1))
            {
                var r = iv.Split('-');
                (first, last) = r.Length == 1 ? (int.Parse(r[0]), int.Parse(r[0])) : (int.Parse(r[0]), int.Parse(r[1]));
                for (int n = first; n <= last; n++)
                {
                    result.Add((key, n));
                }
            }
        }

        return result.Order();
    }
}
