using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

public sealed class Crc32Tests
{
    [Fact]
    public void Check_value_of_the_zlib_polynomial() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Table_driven_matches_bitwise_reference_for_all_lengths_and_splits()
    {
        var data = new byte[300];
        new Random(3).NextBytes(data);
        for (int len = 0; len <= data.Length; len++)
        {
            var span = data.AsSpan(0, len);
            uint expected = BinlogBuilder.ReferenceCrc32(span);
            Assert.Equal(expected, Crc32.Compute(span));
            int split = len / 3;
            Assert.Equal(expected, Crc32.Append(Crc32.Append(0, span[..split]), span[split..]));
        }
    }
}
