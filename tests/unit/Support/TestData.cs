using System.Text;

namespace BinlogArchive.Tests.Unit.Support;

internal static class TestData
{
    public static byte[] Random(int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Text-like, binlog-ish compressible bytes.</summary>
    public static byte[] Compressible(int size, int seed = 2)
    {
        var rng = new Random(seed);
        var text = new StringBuilder(size + 200);
        while (text.Length < size)
        {
            text.Append("INSERT INTO orders (id, customer, amount, note) VALUES (")
                .Append(rng.Next(1, 1_000_000)).Append(", 'cust").Append(rng.Next(1, 500)).Append("', ")
                .Append(rng.Next(1, 100000) / 100.0).Append(", 'row ").Append(rng.Next(0, 50)).Append("');\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }
}
