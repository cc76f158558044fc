using System.Buffers.Binary;
using System.Text;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>
/// Writes binlog v4 bytes from the layouts in BINLOG-FORMAT.md, independently of the reader (own CRC,
/// own varint encoder), so reader tests do not check the reader against itself.
/// </summary>
internal sealed class BinlogBuilder
{
    private readonly MemoryStream _out = new();
    private readonly uint _serverId;

    /// <param name="version">server_version; "MariaDB" in it gives a MariaDB FDE (171 post-header entries).</param>
    /// <param name="checksumAlg">0 = none (the FDE still has its CRC), 1 = CRC32, null = a pre-5.6.1 server with no alg byte.</param>
    public BinlogBuilder(string version = "8.4.0", byte? checksumAlg = 1, bool inUse = false, uint serverId = 1, uint fdeTimestamp = 1_700_000_000)
    {
        _serverId = serverId;
        Crc = checksumAlg == 1;
        _out.Write([0xFE, 0x62, 0x69, 0x6E]);
        bool mariadb = version.Contains("MariaDB");
        int n = mariadb ? 171 : 42;                          // §3.1 observed N
        var postHeaders = new byte[n];
        postHeaders[2 - 1] = 13;                              // QUERY
        postHeaders[4 - 1] = 8;                               // ROTATE
        postHeaders[15 - 1] = (byte)(57 + n);                 // FDE identity (§3.1)
        postHeaders[19 - 1] = 8;                              // TABLE_MAP
        postHeaders[30 - 1] = postHeaders[31 - 1] = postHeaders[32 - 1] = 10;
        postHeaders[33 - 1] = postHeaders[34 - 1] = 42;       // GTID / ANONYMOUS_GTID
        postHeaders[40 - 1] = 40;                             // the TRANSACTION_PAYLOAD quirk: advertised, not used
        if (mariadb)
        {
            postHeaders[161 - 1] = 4;
            postHeaders[162 - 1] = 19;
            postHeaders[163 - 1] = 4;
        }

        var body = new List<byte>();
        body.AddRange(U16(4));
        var v = new byte[50];
        Encoding.ASCII.GetBytes(version).CopyTo(v, 0);
        body.AddRange(v);
        body.AddRange(U32(fdeTimestamp));
        body.Add(19);
        body.AddRange(postHeaders);
        if (checksumAlg is byte alg)
        {
            body.Add(alg);
        }

        // The FDE CRC is computed with the in-use flag clear (§3.2), then the flag is set.
        var fde = RawEvent(fdeTimestamp, 15, [.. body], flags: 0, withCrc: checksumAlg != null);
        if (inUse)
        {
            fde[17] |= 0x01;
        }

        _out.Write(fde);
    }

    public bool Crc { get; }

    public long Position => _out.Length;

    public byte[] ToArray() => _out.ToArray();

    /// <summary>Appends one event; returns its start offset.</summary>
    public long Event(byte type, uint timestamp, ReadOnlySpan<byte> body, ushort flags = 0)
    {
        long start = _out.Length;
        _out.Write(RawEvent(timestamp, type, body, flags, Crc));
        return start;
    }

    public long Gtid(string uuid, long gno, long? commitMicros, uint ts = 1_700_000_100, byte type = 33, long? originalMicros = null)
    {
        // §5: flags, SID, GNO, lt_type, last_committed, sequence_number (= 42 post-header), then timestamps,
        // transaction_length, server versions.
        var b = new List<byte> { 0 };
        b.AddRange(type == 34 ? new byte[16] : Uuid(uuid));
        b.AddRange(U64((ulong)(type == 34 ? 0 : gno)));
        b.Add(2);
        b.AddRange(U64(0));
        b.AddRange(U64(1));
        if (commitMicros is long micros)
        {
            ulong immediate = (ulong)micros | (originalMicros != null ? 1UL << 55 : 0);
            b.AddRange(U64(immediate).Take(7));
            if (originalMicros is long original)
            {
                b.AddRange(U64((ulong)original).Take(7));
            }

            b.AddRange(new byte[] { 0xFC, 0x99, 0x01 });       // transaction_length 409 (packed int)
            b.AddRange(U32(80400));
        }

        return Event(type, ts, b.ToArray());
    }

    public long AnonymousGtid(long? commitMicros, uint ts = 1_700_000_100) => Gtid("", 0, commitMicros, ts, type: 34);

    public long TaggedGtid(string uuid, string tag, long gno, long commitMicros, uint ts = 1_700_000_100)
    {
        // §5.1 mysql::serialization message: fields (id, value) in id order.
        var f = new List<byte>();
        f.AddRange(VarU(0)); f.AddRange(VarU(0));                                  // gtid_flags
        f.AddRange(VarU(1)); foreach (var x in Uuid(uuid)) { f.AddRange(VarU(x)); } // uuid, byte by byte
        f.AddRange(VarU(2)); f.AddRange(VarS(gno));
        if (tag.Length > 0)
        {
            f.AddRange(VarU(3)); f.AddRange(VarU((ulong)tag.Length)); f.AddRange(Encoding.ASCII.GetBytes(tag));
        }

        f.AddRange(VarU(4)); f.AddRange(VarS(0));
        f.AddRange(VarU(5)); f.AddRange(VarS(1));
        f.AddRange(VarU(6)); f.AddRange(VarU((ulong)commitMicros));
        f.AddRange(VarU(8)); f.AddRange(VarU(296));
        f.AddRange(VarU(9)); f.AddRange(VarU(90600));
        int size = f.Count + 3;
        byte[] header;
        while (true)
        {
            header = [.. VarU(1), .. VarU((ulong)size), .. VarU(9)];
            if (header.Length + f.Count == size)
            {
                break;
            }

            size = header.Length + f.Count;
        }

        return Event(42, ts, [.. header, .. f]);
    }

    /// <summary>Classic PREVIOUS_GTIDS (§6). Intervals are inclusive here and stored half-open.</summary>
    public long PreviousGtids(params (string Uuid, (long First, long Last)[] Intervals)[] sids)
    {
        var b = new List<byte>(U64((ulong)sids.Length));
        foreach (var (uuid, intervals) in sids)
        {
            b.AddRange(Uuid(uuid));
            AddIntervals(b, intervals);
        }

        return Event(35, 1_700_000_000, b.ToArray());
    }

    /// <summary>Tagged PREVIOUS_GTIDS (§6): header (1 &lt;&lt; 56) | (n &lt;&lt; 8) | 1, tag as varint length + ASCII.</summary>
    public long TaggedPreviousGtids(params (string Uuid, string Tag, (long First, long Last)[] Intervals)[] sids)
    {
        var b = new List<byte>(U64((1UL << 56) | ((ulong)sids.Length << 8) | 1));
        foreach (var (uuid, tag, intervals) in sids)
        {
            b.AddRange(Uuid(uuid));
            b.AddRange(VarU((ulong)tag.Length));
            b.AddRange(Encoding.ASCII.GetBytes(tag));
            AddIntervals(b, intervals);
        }

        return Event(35, 1_700_000_000, b.ToArray(), flags: 0x80);
    }

    public long Query(string sql, uint ts = 1_700_000_100, string db = "test")
    {
        // §3.4: thread_id, exec_time, db_len, error_code, status_vars_len; status vars; db NUL; query.
        var status = new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00 };  // Q_FLAGS2_CODE 0, some opaque status bytes
        var b = new List<byte>();
        b.AddRange(U32(7));
        b.AddRange(U32(0));
        b.Add((byte)db.Length);
        b.AddRange(U16(0));
        b.AddRange(U16((ushort)status.Length));
        b.AddRange(status);
        b.AddRange(Encoding.ASCII.GetBytes(db));
        b.Add(0);
        b.AddRange(Encoding.UTF8.GetBytes(sql));
        return Event(2, ts, b.ToArray(), flags: 0x08);
    }

    public long Xid(uint ts = 1_700_000_100) => Event(16, ts, U64(42));

    public long TableMap(uint ts = 1_700_000_100) => Event(19, ts, new byte[20]);

    public long WriteRows(int bodyLength, uint ts = 1_700_000_100)
    {
        var body = new byte[bodyLength];
        new Random(bodyLength).NextBytes(body);
        return Event(30, ts, body);
    }

    /// <summary>§7: TLV header (compression ZSTD, uncompressed size, payload size, END) then the payload bytes.</summary>
    public long TransactionPayload(int payloadLength, uint ts = 1_700_000_100)
    {
        var b = new List<byte> { 2, 1, 0, 3, 1, 0xD6, 1, 1, (byte)payloadLength, 0 };
        var payload = new byte[payloadLength];
        payload[0] = 0x28; payload[1] = 0xB5; payload[2] = 0x2F; payload[3] = 0xFD;
        b.AddRange(payload);
        return Event(40, ts, b.ToArray());
    }

    public long Rotate(string next, uint ts = 0) => Event(4, ts, [.. U64(4), .. Encoding.ASCII.GetBytes(next)]);

    public long Stop(uint ts = 1_700_000_900) => Event(3, ts, []);

    /// <summary>MariaDB GTID (§8): seq_no, domain_id, flags2, padding to 19 bytes; server id from the header.</summary>
    public long MariaDbGtid(uint domain, ulong seq, byte flags2, uint ts = 1_700_000_100)
    {
        var b = new List<byte>();
        b.AddRange(U64(seq));
        b.AddRange(U32(domain));
        b.Add(flags2);
        b.AddRange(new byte[6]);
        return Event(162, ts, b.ToArray(), flags: 0x08);
    }

    public long GtidList(params (uint Domain, uint Server, ulong Seq)[] entries)
    {
        var b = new List<byte>(U32((uint)entries.Length));
        foreach (var (d, s, q) in entries)
        {
            b.AddRange(U32(d));
            b.AddRange(U32(s));
            b.AddRange(U64(q));
        }

        return Event(163, 1_700_000_000, b.ToArray());
    }

    public long BinlogCheckpoint(string name) => Event(161, 1_700_000_000, [.. U32((uint)name.Length), .. Encoding.ASCII.GetBytes(name)]);

    /// <summary>Reference CRC-32 (zlib), bit by bit: deliberately not the reader's table-driven code.</summary>
    public static uint ReferenceCrc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
        }

        return ~c;
    }

    public static byte[] VarU(ulong value)
    {
        // Byte count n: n-1 trailing one bits in the first byte, value in the remaining 7n bits (§5.1).
        for (int n = 1; n <= 8; n++)
        {
            if (value < 1UL << (7 * n))
            {
                ulong raw = (value << n) | ((1UL << (n - 1)) - 1);
                return U64(raw).Take(n).ToArray();
            }
        }

        return [0xFF, .. U64(value)];
    }

    public static byte[] VarS(long value) => VarU((ulong)((value << 1) ^ (value >> 63)));

    private byte[] RawEvent(uint timestamp, byte type, ReadOnlySpan<byte> body, ushort flags, bool withCrc)
    {
        int size = 19 + body.Length + (withCrc ? 4 : 0);
        var e = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(e, timestamp);
        e[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(5), _serverId);
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(9), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(13), (uint)(_out.Length + size));
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(17), flags);
        body.CopyTo(e.AsSpan(19));
        if (withCrc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(size - 4), ReferenceCrc32(e.AsSpan(0, size - 4)));
        }

        return e;
    }

    private static void AddIntervals(List<byte> b, (long First, long Last)[] intervals)
    {
        b.AddRange(U64((ulong)intervals.Length));
        foreach (var (first, last) in intervals)
        {
            b.AddRange(U64((ulong)first));
            b.AddRange(U64((ulong)(last + 1)));
        }
    }

    private static byte[] Uuid(string uuid) => Convert.FromHexString(uuid.Replace("-", ""));

    private static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }

    private static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }

    private static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }
}
