using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>The varint values observed in a real MySQL 9.6.0 GTID_TAGGED_LOG_EVENT (BINLOG-FORMAT.md §5.1).</summary>
public sealed class MySqlSerializationTests
{
    [Theory]
    [InlineData(new byte[] { 0xa1, 0x04 }, 296UL)]            // transaction_length
    [InlineData(new byte[] { 0x43, 0x0f, 0x0b }, 90600UL)]    // immediate_server_version
    [InlineData(new byte[] { 0x0a }, 5UL)]                    // tag length of "mytag"
    public void Unsigned_varints_observed(byte[] bytes, ulong expected)
    {
        int pos = 0;
        Assert.True(MySqlSerialization.TryReadUnsigned(bytes, ref pos, out var value));
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, pos);
    }

    [Fact]
    public void Signed_gno_observed()
    {
        int pos = 0;
        Assert.True(MySqlSerialization.TryReadSigned(new byte[] { 0x0c }, ref pos, out var gno));
        Assert.Equal(3, gno);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(1764504313117585UL)]
    [InlineData((1UL << 56) - 1)]
    [InlineData(1UL << 56)]
    [InlineData(ulong.MaxValue)]
    public void Round_trips_with_the_test_encoder(ulong value)
    {
        var bytes = BinlogBuilder.VarU(value);
        int pos = 0;
        Assert.True(MySqlSerialization.TryReadUnsigned(bytes, ref pos, out var decoded));
        Assert.Equal(value, decoded);
        Assert.Equal(bytes.Length, pos);
    }

    [Fact]
    public void Truncated_varint_is_rejected()
    {
        int pos = 0;
        Assert.False(MySqlSerialization.TryReadUnsigned(new byte[] { 0x43, 0x0f }, ref pos, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0xb5 }, 181UL)]                 // §5 8.0.31 transaction_length
    [InlineData(new byte[] { 0xfc, 0x99, 0x01 }, 409UL)]     // §5 9.5.0
    [InlineData(new byte[] { 0xfd, 0x01, 0x02, 0x03 }, 0x030201UL)]
    public void Packed_integers(byte[] bytes, ulong expected)
    {
        int pos = 0;
        Assert.True(MySqlSerialization.TryReadPacked(bytes, ref pos, out var value));
        Assert.Equal(expected, value);
    }
}
