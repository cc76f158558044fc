using System.Buffers.Binary;
using System.Numerics;

namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Decoders for the integers of MySQL's binlog formats: the <c>mysql::serialization</c> varints used by
/// GTID_TAGGED_LOG_EVENT and the tagged PREVIOUS_GTIDS encoding (BINLOG-FORMAT.md §5.1, §6), and the
/// classic packed integer (net_field_length_ll, §5 transaction_length, §7 payload TLV).
/// </summary>
internal static class MySqlSerialization
{
    /// <summary>
    /// Unsigned varint: the number of trailing 1-bits of the first byte plus one is the byte count; the
    /// value is those bytes little-endian shifted right by the count. Nine bytes (first byte 0xFF) carry
    /// the full 64-bit value in the eight bytes after the first.
    /// </summary>
    public static bool TryReadUnsigned(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        if (pos >= data.Length)
        {
            return false;
        }

        int count = BitOperations.TrailingZeroCount(~(uint)data[pos]) + 1;
        if (count > 9 || pos + count > data.Length)
        {
            return false;
        }

        if (count == 9)
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(pos + 1, 8));
        }
        else
        {
            ulong raw = 0;
            for (int i = count - 1; i >= 0; i--)
            {
                raw = (raw << 8) | data[pos + i];
            }

            value = raw >> count;
        }

        pos += count;
        return true;
    }

    /// <summary>Signed varint: zig-zag on top of <see cref="TryReadUnsigned"/>.</summary>
    public static bool TryReadSigned(ReadOnlySpan<byte> data, ref int pos, out long value)
    {
        if (!TryReadUnsigned(data, ref pos, out var u))
        {
            value = 0;
            return false;
        }

        value = (long)(u >> 1) ^ -(long)(u & 1);
        return true;
    }

    /// <summary>MySQL packed integer (net_field_length_ll): &lt;0xFB itself, 0xFC u16, 0xFD u24, 0xFE u64.</summary>
    public static bool TryReadPacked(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        if (pos >= data.Length)
        {
            return false;
        }

        byte b = data[pos];
        int extra = b switch { < 0xFB => 0, 0xFC => 2, 0xFD => 3, 0xFE => 8, _ => -1 };
        if (extra < 0 || pos + 1 + extra > data.Length)
        {
            return false;
        }

        if (extra == 0)
        {
            value = b;
        }
        else
        {
            for (int i = extra; i >= 1; i--)
            {
                value = (value << 8) | data[pos + i];
            }
        }

        pos += 1 + extra;
        return true;
    }
}
