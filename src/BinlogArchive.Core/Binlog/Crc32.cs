using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BinlogArchive.Core.Binlog;

/// <summary>
/// CRC-32 with the zlib/IEEE polynomial (reflected 0xEDB88320), the checksum binlog events carry
/// (BINLOG-FORMAT.md §3.2: <c>crc32(0, buf, len)</c>). Table driven, slice-by-16, because
/// System.IO.Hashing is not available and the scanner must keep up with a compressor.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;

    // 16 tables of 256 entries: table k maps a byte to its CRC contribution k bytes further on.
    private static readonly uint[] Table = BuildTable();

    /// <summary>Same contract as zlib's crc32(crc, buf, len): pass 0 to start, the previous result to continue.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Table);
        ref byte p = ref MemoryMarshal.GetReference(data);
        nint len = data.Length;
        nint i = 0;

        for (; len - i >= 16; i += 16)
        {
            uint a = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i));
            uint b = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 4));
            uint d = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 8));
            uint e = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 12));
            if (!BitConverter.IsLittleEndian)
            {
                b = BinaryPrimitives.ReverseEndianness(b);
                d = BinaryPrimitives.ReverseEndianness(d);
                e = BinaryPrimitives.ReverseEndianness(e);
                a = BinaryPrimitives.ReverseEndianness(a);
            }

            a ^= c;

            c = Unsafe.Add(ref t, (15 * 256) + (int)(a & 0xFF))
                ^ Unsafe.Add(ref t, (14 * 256) + (int)((a >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, (13 * 256) + (int)((a >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (12 * 256) + (int)(a >> 24))
                ^ Unsafe.Add(ref t, (11 * 256) + (int)(b & 0xFF))
                ^ Unsafe.Add(ref t, (10 * 256) + (int)((b >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, (9 * 256) + (int)((b >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (8 * 256) + (int)(b >> 24))
                ^ Unsafe.Add(ref t, (7 * 256) + (int)(d & 0xFF))
                ^ Unsafe.Add(ref t, (6 * 256) + (int)((d >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, (5 * 256) + (int)((d >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (4 * 256) + (int)(d >> 24))
                ^ Unsafe.Add(ref t, (3 * 256) + (int)(e & 0xFF))
                ^ Unsafe.Add(ref t, (2 * 256) + (int)((e >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, 256 + (int)((e >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (int)(e >> 24));
        }

        for (; i < len; i++)
        {
            c = Unsafe.Add(ref t, (int)((c ^ Unsafe.Add(ref p, i)) & 0xFF)) ^ (c >> 8);
        }

        return ~c;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    private static uint[] BuildTable()
    {
        var table = new uint[16 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        for (int n = 0; n < 256; n++)
        {
            for (int k = 1; k < 16; k++)
            {
                uint prev = table[((k - 1) * 256) + n];
                table[(k * 256) + n] = table[prev & 0xFF] ^ (prev >> 8);
            }
        }

        return table;
    }
}
