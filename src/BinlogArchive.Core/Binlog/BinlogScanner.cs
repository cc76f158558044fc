using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Push-based binlog parser: feed it the file's bytes in order, in pieces of any size, then call
/// <see cref="Complete"/>. It keeps only the bytes of the event in progress that it needs (the header
/// for row events, a bounded prefix for QUERY, the whole event only for the small control events it
/// decodes), and verifies CRC32 incrementally, so it can ride along as a side pass over bytes flowing
/// to a compressor. Any chunking of the same bytes gives the same summary.
/// </summary>
/// <remarks>
/// Bad data never throws: problems become <see cref="BinlogFileSummary.Errors"/> (parsing stops at the
/// first one) or <see cref="BinlogFileSummary.Warnings"/>. Exceptions thrown by
/// <see cref="BinlogScanOptions.OnTransaction"/> propagate to the caller of <see cref="Append"/>.
/// </remarks>
public sealed class BinlogScanner
{
    /// <summary>Common header length, v4 (BINLOG-FORMAT.md §2).</summary>
    private const int HeaderLength = 19;

    private const int ChecksumLength = 4;

    /// <summary>FDE fixed part before post_header_len[]: 2 + 50 + 4 + 1 (§3.1).</summary>
    private const int FdeFixedBody = 57;

    /// <summary>An FDE can describe at most 255 event types (u8 codes): 19 + 57 + 255 + 1 + 4 (§3.1).</summary>
    private const int MaxFdeSize = HeaderLength + FdeFixedBody + 255 + 5;

    /// <summary>Control events we decode are buffered whole up to this size (real ones are tiny).</summary>
    private const int MaxDecodedEventSize = 64 << 20;

    /// <summary>
    /// QUERY prefix kept: header, post-header (≤255), status vars (u16 length, §3.4), db name (≤255 + NUL)
    /// and the first 64 bytes of the statement, which is all boundary detection looks at.
    /// </summary>
    private const int QueryPrefixSize = HeaderLength + 255 + 65535 + 256 + 64;

    /// <summary>TRANSACTION_PAYLOAD prefix kept: header plus its TLV header (§7; three fields of ≤ 10 bytes).</summary>
    private const int PayloadPrefixSize = HeaderLength + 64;

    private const ushort InUseFlag = 0x0001;                 // LOG_EVENT_BINLOG_IN_USE_F (§2, §3.3)
    private const byte MariaDbStandalone = 0x01;             // FL_STANDALONE (§8)
    private const byte MariaDbCompletedXa = 0x80;            // FL_COMPLETED_XA (§8)

    private readonly string _fileName;
    private readonly BinlogScanOptions _options;

    private readonly byte[] _header = new byte[HeaderLength];
    private readonly byte[] _crcTail = new byte[ChecksumLength];
    private readonly long[] _counts = new long[256];
    private readonly bool[] _unknownWarned = new bool[256];
    private readonly List<BinlogReadIssue> _errors = [];
    private readonly List<BinlogReadIssue> _warnings = [];
    private readonly GtidSetBuilder _added = new();
    private readonly byte[] _lastSid = new byte[16];

    private BinlogScanPhase _phase = BinlogScanPhase.Magic;
    private BinlogFileSummary? _summary;
    private long _size;
    private int _headerFill;

    // The event in progress.
    private long _eventStart;
    private uint _eventSize;
    private long _eventFill;
    private int _want;
    private byte[]? _buffer;
    private bool _crcStreaming;
    private uint _crc;

    // From the FDE.
    private bool _haveFde;
    private byte[] _postHeaderLengths = [];
    private int _checksumLength;
    private BinlogChecksumAlgorithm _checksumAlgorithm = BinlogChecksumAlgorithm.NotAware;
    private string? _serverVersion;
    private uint _serverId;
    private bool _inUse;
    private BinlogFlavor _flavor;

    // Findings.
    private bool _magicOk;
    private long _endPosition;
    private long _eventCount;
    private long _unknownCount;
    private int _lastType = -1;
    private uint _firstTimestamp;
    private uint _lastTimestamp;
    private string? _rotateName;
    private GtidSet? _previous;
    private long _transactionCount;
    private long _compressedCount;
    private bool _truncated;
    private string? _lastSidText;

    // The transaction (GTID group) in progress.
    private bool _inGroup;
    private bool _groupBegun;
    private bool _groupMariaDb;
    private bool _groupEndsAtNextQuery;
    private long _groupStart;
    private long? _groupCommitMicros;
    private string? _groupUuid;
    private string _groupTag = "";
    private ulong _groupNumber;
    private uint _groupDomain;
    private uint _groupServerId;

    public BinlogScanner(string fileName, BinlogScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        _fileName = fileName;
        _options = options ?? new BinlogScanOptions();
    }

    /// <summary>Largest number of event bytes held in the scanner's buffer at any time (memory-bound tests).</summary>
    internal int BufferedBytesHighWater { get; private set; }

    /// <summary>Feeds the next bytes of the file.</summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="Complete"/>.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_summary != null)
        {
            throw new InvalidOperationException("Append after Complete: create a new BinlogScanner per file.");
        }

        _size += data.Length;
        while (!data.IsEmpty)
        {
            switch (_phase)
            {
                case BinlogScanPhase.Stopped:
                    return;

                case BinlogScanPhase.Magic:
                {
                    int n = Math.Min(4 - _headerFill, data.Length);
                    data[..n].CopyTo(_header.AsSpan(_headerFill));
                    _headerFill += n;
                    data = data[n..];
                    if (_headerFill == 4)
                    {
                        _headerFill = 0;
                        CheckMagic();
                    }

                    break;
                }

                case BinlogScanPhase.Header:
                    if (_headerFill == 0 && data.Length >= HeaderLength)
                    {
                        // Fast path: the header is contiguous in the input, and often the whole event is.
                        if (!BeginEvent(data[..HeaderLength]))
                        {
                            return;
                        }

                        if (data.Length >= _eventSize)
                        {
                            var whole = data[..(int)_eventSize];
                            data = data[(int)_eventSize..];
                            bool crcOk = !_crcStreaming || CrcMatches(whole);
                            FinishEvent(whole[..Math.Min(_want, whole.Length)], crcOk);
                            break;
                        }

                        _phase = BinlogScanPhase.Body;
                        PrepareBuffer();
                        int n = (int)Math.Min(data.Length, _eventSize);
                        Feed(data[..n]);
                        data = data[n..];
                    }
                    else
                    {
                        int n = Math.Min(HeaderLength - _headerFill, data.Length);
                        data[..n].CopyTo(_header.AsSpan(_headerFill));
                        _headerFill += n;
                        data = data[n..];
                        if (_headerFill < HeaderLength)
                        {
                            return;
                        }

                        _headerFill = 0;
                        if (!BeginEvent(_header))
                        {
                            return;
                        }

                        _phase = BinlogScanPhase.Body;
                        PrepareBuffer();
                        Feed(_header);
                    }

                    CompleteStreamedEventIfDone();
                    break;

                case BinlogScanPhase.Body:
                {
                    int n = (int)Math.Min(data.Length, _eventSize - _eventFill);
                    Feed(data[..n]);
                    data = data[n..];
                    CompleteStreamedEventIfDone();
                    break;
                }
            }
        }
    }

    /// <summary>Ends the scan (EOF) and returns what was found. Never throws for bad data: see Errors.</summary>
    public BinlogFileSummary Complete()
    {
        if (_summary != null)
        {
            return _summary;
        }

        switch (_phase)
        {
            case BinlogScanPhase.Magic:
                if (_size == 0)
                {
                    AddError(0, "EmptyFile", "the file is empty (0 bytes); a binlog starts with the 4-byte magic FE 62 69 6E");
                }
                else
                {
                    AddError(0, "BadMagic", $"the file is only {_size} byte(s) long, shorter than the 4-byte binlog magic");
                }

                break;

            case BinlogScanPhase.Header when !_haveFde:
                AddError(4, "BadFormatDescription",
                    _headerFill == 0 ? "no FORMAT_DESCRIPTION_EVENT after the magic" : "the FORMAT_DESCRIPTION_EVENT is truncated");
                break;

            case BinlogScanPhase.Body when !_haveFde:
                AddError(4, "BadFormatDescription", "the FORMAT_DESCRIPTION_EVENT is truncated");
                break;

            case BinlogScanPhase.Header when _headerFill > 0:
                ReportTruncatedTail(_endPosition, "TruncatedEvent",
                    $"the file ends {_headerFill} byte(s) into an event header (19 bytes)");
                break;

            case BinlogScanPhase.Body:
                ReportTruncatedTail(_eventStart, "EventBeyondEof",
                    $"event of {_eventSize} bytes extends past the end of the file ({_eventFill} bytes present)");
                break;
        }

        if (_inGroup && _phase != BinlogScanPhase.Stopped)
        {
            _warnings.Add(new BinlogReadIssue(_groupStart, "UnterminatedTransaction",
                "the last transaction has no terminating event (XID/COMMIT) in this file; it is not counted"));
        }

        if (_buffer != null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        var flavor = _flavor;
        var previous = _previous ?? GtidSet.Empty(flavor);
        var added = _added.Build(flavor);
        string? lastTypeName = _lastType < 0 ? null : NameOrUnknown((byte)_lastType);
        bool endsWithStopOrRotate = _lastType is BinlogEventType.Stop or BinlogEventType.Rotate;
        var counts = new Dictionary<string, long>();
        for (int t = 0; t < 256; t++)
        {
            if (_counts[t] > 0)
            {
                counts[NameOrUnknown((byte)t)] = _counts[t];
            }
        }

        _summary = new BinlogFileSummary
        {
            FileName = _fileName,
            Size = _size,
            Flavor = flavor,
            ServerVersion = _serverVersion,
            ServerId = _serverId,
            ChecksumAlgorithm = _checksumAlgorithm,
            InUseFlag = _inUse,
            ClosedCleanly = _haveFde && !_inUse && endsWithStopOrRotate && _errors.Count == 0 && !_truncated,
            LastEventType = lastTypeName,
            RotatesTo = _lastType == BinlogEventType.Rotate ? _rotateName : null,
            FirstEventAt = _firstTimestamp == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(_firstTimestamp),
            LastEventAt = _lastTimestamp == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(_lastTimestamp),
            StartPosition = _magicOk ? 4 : 0,
            EndPosition = _endPosition,
            TruncatedTail = _truncated,
            PreviousGtids = previous,
            AddedGtids = added,
            ExecutedGtids = previous.Union(added),
            EventCount = _eventCount,
            TransactionCount = _transactionCount,
            CompressedTransactionCount = _compressedCount,
            UnknownEventCount = _unknownCount,
            EventCounts = counts,
            Errors = [.. _errors],
            Warnings = [.. _warnings],
        };
        return _summary;
    }

    private static string NameOrUnknown(byte code) => BinlogEventType.NameOf(code) ?? BinlogEventType.UnknownName(code);

    private void CheckMagic()
    {
        // §1 and §9: FE 'b' 'i' 'n' is a binlog; FD 'b' 'i' 'n' is MySQL's encrypted-binlog header.
        if (_header[1] == 0x62 && _header[2] == 0x69 && _header[3] == 0x6E)
        {
            if (_header[0] == 0xFE)
            {
                _magicOk = true;
                _endPosition = 4;
                _phase = BinlogScanPhase.Header;
                return;
            }

            if (_header[0] == 0xFD)
            {
                Stop(0, "EncryptedBinlog",
                    "encrypted binlog, unsupported: the file starts with FD 62 69 6E (MySQL binlog_encryption=ON); " +
                    "archive it from a server-side decrypted copy (mysqlbinlog --read-from-remote-server) instead");
                return;
            }
        }

        Stop(0, "BadMagic",
            $"not a binlog: the file starts with {Convert.ToHexString(_header, 0, 4)}, expected FE62696E");
    }

    /// <summary>Validates a complete 19-byte header and sets up the event. False when parsing stopped.</summary>
    private bool BeginEvent(ReadOnlySpan<byte> header)
    {
        _eventStart = _endPosition;
        _eventSize = BinaryPrimitives.ReadUInt32LittleEndian(header[9..]);   // EVENT_LEN_OFFSET 9 (§2)
        _eventFill = 0;
        byte type = header[4];                                                // EVENT_TYPE_OFFSET 4 (§2)

        if (_eventSize < HeaderLength + _checksumLength)
        {
            Stop(_eventStart, "EventTooSmall",
                $"event_size {_eventSize} is smaller than the {HeaderLength + _checksumLength}-byte minimum (header{(_checksumLength > 0 ? " + CRC32" : "")})");
            return false;
        }

        if (!_haveFde)
        {
            if (type != BinlogEventType.FormatDescription)
            {
                Stop(_eventStart, "BadFormatDescription",
                    $"the first event is type {type} ({NameOrUnknown(type)}), not a FORMAT_DESCRIPTION_EVENT (binlog v4 expected)");
                return false;
            }

            if (_eventSize < HeaderLength + FdeFixedBody || _eventSize > MaxFdeSize)
            {
                Stop(_eventStart, "BadFormatDescription",
                    $"FORMAT_DESCRIPTION_EVENT size {_eventSize} is outside the possible {HeaderLength + FdeFixedBody}..{MaxFdeSize}");
                return false;
            }

            _want = (int)_eventSize;
            _crcStreaming = false;  // the FDE's own CRC is checked with the in-use bit cleared (§3.2)
            return true;
        }

        _want = type switch
        {
            BinlogEventType.Query or BinlogEventType.MariaDbQueryCompressed => QueryPrefixSize,
            BinlogEventType.TransactionPayload => PayloadPrefixSize,
            BinlogEventType.GtidLog or BinlogEventType.AnonymousGtid or BinlogEventType.GtidTagged
                or BinlogEventType.PreviousGtids or BinlogEventType.Rotate or BinlogEventType.MariaDbGtid
                or BinlogEventType.MariaDbGtidList => MaxDecodedEventSize,
            _ => HeaderLength,
        };
        _want = (int)Math.Min(_want, _eventSize);
        _crcStreaming = _checksumLength > 0 && _options.VerifyChecksums;
        _crc = 0;
        return true;
    }

    private void PrepareBuffer()
    {
        if (_buffer == null || _buffer.Length < _want)
        {
            if (_buffer != null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_want, 4096));
        }

        BufferedBytesHighWater = Math.Max(BufferedBytesHighWater, _want);
    }

    /// <summary>Streams event bytes: copies the wanted prefix, runs the CRC up to the stored checksum, keeps the checksum.</summary>
    private void Feed(ReadOnlySpan<byte> chunk)
    {
        long at = _eventFill;
        if (at < _want)
        {
            int n = (int)Math.Min(chunk.Length, _want - at);
            chunk[..n].CopyTo(_buffer.AsSpan((int)at));
        }

        if (_crcStreaming)
        {
            long crcEnd = _eventSize - ChecksumLength;
            if (at < crcEnd)
            {
                int n = (int)Math.Min(chunk.Length, crcEnd - at);
                _crc = Crc32.Append(_crc, chunk[..n]);
            }

            for (long p = Math.Max(at, crcEnd); p < at + chunk.Length; p++)
            {
                _crcTail[p - crcEnd] = chunk[(int)(p - at)];
            }
        }

        _eventFill += chunk.Length;
    }

    private void CompleteStreamedEventIfDone()
    {
        if (_phase != BinlogScanPhase.Body || _eventFill < _eventSize)
        {
            return;
        }

        _phase = BinlogScanPhase.Header;
        bool crcOk = !_crcStreaming || _crc == BinaryPrimitives.ReadUInt32LittleEndian(_crcTail);
        FinishEvent(_buffer.AsSpan(0, _want), crcOk);
    }

    private static bool CrcMatches(ReadOnlySpan<byte> whole) =>
        Crc32.Compute(whole[..^ChecksumLength]) == BinaryPrimitives.ReadUInt32LittleEndian(whole[^ChecksumLength..]);

    /// <summary>
    /// Handles a complete event. <paramref name="ev"/> holds its first <see cref="_want"/> bytes (the
    /// same whatever the chunking, so summaries do not depend on it).
    /// </summary>
    private void FinishEvent(ReadOnlySpan<byte> ev, bool crcOk)
    {
        byte type = ev[4];
        if (!_haveFde)
        {
            if (!ReadFormatDescription(ev))
            {
                return;
            }
        }
        else if (!crcOk)
        {
            Stop(_eventStart, "CrcMismatch",
                $"CRC32 mismatch in {NameOrUnknown(type)} of {_eventSize} bytes: the file is corrupt");
            return;
        }

        // Bytes of the event body we hold, excluding the CRC (§3.2).
        int dataEnd = (int)Math.Min(ev.Length, _eventSize - _checksumLength);
        var data = ev[..dataEnd];
        uint timestamp = BinaryPrimitives.ReadUInt32LittleEndian(ev);
        long end = _eventStart + _eventSize;

        bool known = BinlogEventType.NameOf(type) != null && type != 0 && type - 1 < _postHeaderLengths.Length;
        if (!known)
        {
            _unknownCount++;
            if (!_unknownWarned[type])
            {
                _unknownWarned[type] = true;
                _warnings.Add(new BinlogReadIssue(_eventStart, "UnknownEventType",
                    $"event type {type} is not known to this reader or not declared by the FDE; skipped (further events of this type are only counted)"));
            }
        }

        _eventCount++;
        _counts[type]++;
        if (timestamp != 0)
        {
            if (_firstTimestamp == 0)
            {
                _firstTimestamp = timestamp;
            }

            _lastTimestamp = timestamp;
        }

        if (known)
        {
            switch (type)
            {
                case BinlogEventType.Query:
                case BinlogEventType.MariaDbQueryCompressed:
                    OnQuery(data, type, timestamp, end);
                    break;
                case BinlogEventType.Rotate:
                    // Post-header: position u64; then the next file's name up to the CRC (§3.4).
                    int nameAt = HeaderLength + PostHeaderLength(type);
                    _rotateName = nameAt <= data.Length ? Encoding.UTF8.GetString(data[nameAt..]) : null;
                    break;
                case BinlogEventType.Xid:
                case BinlogEventType.XaPrepare:
                    if (_inGroup)
                    {
                        EndGroup(timestamp, end, compressed: false);
                    }

                    break;
                case BinlogEventType.GtidLog:
                case BinlogEventType.AnonymousGtid:
                    OnGtid(data, type);
                    break;
                case BinlogEventType.GtidTagged:
                    OnTaggedGtid(data);
                    break;
                case BinlogEventType.PreviousGtids:
                    OnPreviousGtids(data);
                    break;
                case BinlogEventType.TransactionPayload:
                    OnTransactionPayload(data, timestamp, end);
                    break;
                case BinlogEventType.MariaDbGtid:
                    OnMariaDbGtid(data);
                    break;
                case BinlogEventType.MariaDbGtidList:
                    OnGtidList(data);
                    break;
                case BinlogEventType.MariaDbStartEncryption:
                    Stop(_eventStart, "EncryptedBinlog",
                        "encrypted binlog, unsupported: MariaDB START_ENCRYPTION_EVENT (encrypt_binlog=ON); events after it cannot be read without the server's key");
                    return;
            }
        }

        if (_phase == BinlogScanPhase.Stopped)
        {
            return;
        }

        _lastType = type;
        _endPosition = end;
    }

    private bool ReadFormatDescription(ReadOnlySpan<byte> ev)
    {
        // §3.1 body layout, offsets from the event start.
        ushort binlogVersion = BinaryPrimitives.ReadUInt16LittleEndian(ev[19..]);
        if (binlogVersion != 4)
        {
            Stop(4, "BadFormatDescription", $"binlog_version {binlogVersion} is not supported (only v4)");
            return false;
        }

        var versionBytes = ev.Slice(21, 50);
        int nul = versionBytes.IndexOf((byte)0);
        string version = Encoding.ASCII.GetString(nul < 0 ? versionBytes : versionBytes[..nul]);
        byte commonHeaderLength = ev[75];
        if (commonHeaderLength != HeaderLength)
        {
            Stop(4, "BadFormatDescription", $"common_header_len {commonHeaderLength} is not 19");
            return false;
        }

        var flavor = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? BinlogFlavor.MariaDb : BinlogFlavor.MySql;
        bool checksumAware = IsChecksumAware(version, flavor);
        int n = ev.Length - HeaderLength - FdeFixedBody - (checksumAware ? 5 : 0);
        if (n < 0)
        {
            Stop(4, "BadFormatDescription", $"FORMAT_DESCRIPTION_EVENT of {ev.Length} bytes is too short for server {version}");
            return false;
        }

        var algorithm = BinlogChecksumAlgorithm.NotAware;
        if (checksumAware)
        {
            byte alg = ev[76 + n];
            if (_options.VerifyChecksums)
            {
                // The FDE CRC is present even for alg 0 and is computed with the in-use bit cleared (§3.2).
                Span<byte> flagsLow = [(byte)(ev[17] & ~InUseFlag)];
                uint crc = Crc32.Append(0, ev[..17]);
                crc = Crc32.Append(crc, flagsLow);
                crc = Crc32.Append(crc, ev[18..^ChecksumLength]);
                if (crc != BinaryPrimitives.ReadUInt32LittleEndian(ev[^ChecksumLength..]))
                {
                    Stop(4, "CrcMismatch", "CRC32 mismatch in the FORMAT_DESCRIPTION_EVENT: the file is corrupt");
                    return false;
                }
            }

            if (alg > 1)
            {
                Stop(4, "BadFormatDescription", $"unknown checksum algorithm {alg} (0 = none, 1 = CRC32)");
                return false;
            }

            algorithm = (BinlogChecksumAlgorithm)alg;
        }

        _haveFde = true;
        _serverVersion = version;
        _flavor = flavor;
        _serverId = BinaryPrimitives.ReadUInt32LittleEndian(ev[5..]);
        _inUse = (BinaryPrimitives.ReadUInt16LittleEndian(ev[17..]) & InUseFlag) != 0;
        _postHeaderLengths = ev.Slice(76, n).ToArray();
        _checksumAlgorithm = algorithm;
        _checksumLength = algorithm == BinlogChecksumAlgorithm.Crc32 ? ChecksumLength : 0;
        return true;
    }

    /// <summary>§3.1: checksum-aware from MySQL 5.6.1 / MariaDB 5.3.0, by the leading X.Y.Z of server_version.</summary>
    private static bool IsChecksumAware(string version, BinlogFlavor flavor)
    {
        Span<int> parts = stackalloc int[3];
        int part = 0;
        foreach (char c in version)
        {
            if (char.IsAsciiDigit(c))
            {
                parts[part] = Math.Min((parts[part] * 10) + (c - '0'), 100000);
            }
            else if (c == '.' && part < 2)
            {
                part++;
            }
            else
            {
                break;
            }
        }

        (int major, int minor, int patch) = (parts[0], parts[1], parts[2]);
        var split = flavor == BinlogFlavor.MariaDb ? (5, 3, 0) : (5, 6, 1);
        return (major, minor, patch).CompareTo(split) >= 0;
    }

    /// <summary>post_header_len[type-1] from the FDE, except where the table is known to lie (§3.1 quirk).</summary>
    private int PostHeaderLength(byte type)
    {
        if (type is BinlogEventType.TransactionPayload or BinlogEventType.HeartbeatV2 or BinlogEventType.GtidTagged)
        {
            return 0;
        }

        return type >= 1 && type - 1 < _postHeaderLengths.Length ? _postHeaderLengths[type - 1] : 0;
    }

    private void OnQuery(ReadOnlySpan<byte> data, byte type, uint timestamp, long end)
    {
        // §3.4: post-header thread_id u32, exec_time u32, db_len u8 (+8), error_code u16, status_vars_len u16 (+11).
        var kind = QueryKind.Other;
        int postHeader = PostHeaderLength(type);
        if (type == BinlogEventType.Query && postHeader >= 13 && data.Length >= HeaderLength + postHeader)
        {
            int dbLength = data[HeaderLength + 8];
            int statusLength = BinaryPrimitives.ReadUInt16LittleEndian(data[(HeaderLength + 11)..]);
            int queryAt = HeaderLength + postHeader + statusLength + dbLength + 1;
            if (queryAt <= data.Length)
            {
                kind = ClassifyQuery(data[queryAt..]);
            }
        }

        if (_inGroup)
        {
            if (_groupMariaDb)
            {
                // §8: the GTID event replaces BEGIN; standalone groups end with their statement.
                if (_groupEndsAtNextQuery || kind == QueryKind.Commit)
                {
                    EndGroup(timestamp, end, compressed: false);
                }
            }
            else if (!_groupBegun)
            {
                if (kind == QueryKind.Begin)
                {
                    _groupBegun = true;
                }
                else
                {
                    EndGroup(timestamp, end, compressed: false);   // DDL or another single-statement group
                }
            }
            else if (kind == QueryKind.Commit)
            {
                EndGroup(timestamp, end, compressed: false);
            }

            return;
        }

        // No GTID event opened a group (GTIDs off on an old server): BEGIN opens, anything else is alone.
        if (kind == QueryKind.Begin)
        {
            StartGroup(_eventStart);
            _groupBegun = true;
        }
        else if (kind == QueryKind.Other)
        {
            StartGroup(_eventStart);
            EndGroup(timestamp, end, compressed: false);
        }
    }

    private static QueryKind ClassifyQuery(ReadOnlySpan<byte> text)
    {
        var t = text.Trim(" \t\r\n\0"u8);
        if (t.Length > 16)
        {
            // Only the XA prefixes can be longer than the exact words below.
            t = t[..16];
        }

        Span<byte> upper = stackalloc byte[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            byte b = t[i];
            upper[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
        }

        if (upper.SequenceEqual("BEGIN"u8) || upper.StartsWith("XA START"u8) || upper.StartsWith("XA BEGIN"u8))
        {
            return QueryKind.Begin;
        }

        // Exact words: "ROLLBACK TO savepoint" stays inside the transaction.
        return upper.SequenceEqual("COMMIT"u8) || upper.SequenceEqual("ROLLBACK"u8) ? QueryKind.Commit : QueryKind.Other;
    }

    private void OnGtid(ReadOnlySpan<byte> data, byte type)
    {
        // §5: flags u8 @19, SID 16 @20, GNO i64 @36, then (5.7+) lt_type, last_committed, sequence_number;
        // after the post-header, optional fields detected by remaining length.
        if (data.Length < HeaderLength + 25)
        {
            Stop(_eventStart, "BadGtidEvent", $"{NameOrUnknown(type)} body of {data.Length - HeaderLength} bytes is shorter than flags + SID + GNO (25)");
            return;
        }

        long? commitMicros = null;
        int postHeader = PostHeaderLength(type);
        int timestampsAt = HeaderLength + postHeader;
        if (postHeader >= 42 && data.Length - timestampsAt >= 7)
        {
            ulong raw = ReadUInt56(data[timestampsAt..]);
            commitMicros = (long)(raw & ~(1UL << 55));   // bit 55 flags a following original_commit_timestamp
        }

        StartGroup(_eventStart);
        _groupCommitMicros = commitMicros;
        if (type == BinlogEventType.GtidLog)
        {
            long gno = BinaryPrimitives.ReadInt64LittleEndian(data[36..]);
            if (gno < 1)
            {
                Stop(_eventStart, "BadGtidEvent", $"GTID_LOG_EVENT with transaction number {gno} (must be >= 1)");
                return;
            }

            _groupUuid = UuidText(data.Slice(20, 16));
            _groupNumber = (ulong)gno;
        }
    }

    private void OnTaggedGtid(ReadOnlySpan<byte> data)
    {
        // §5.1: mysql::serialization message: version, encoded_size, last_non_ignorable_field_id, then
        // (field_id, value) pairs in id order. Fields 0..6 carry everything needed here.
        int pos = HeaderLength + PostHeaderLength(BinlogEventType.GtidTagged);
        int start = pos;
        Span<byte> sid = stackalloc byte[16];
        bool haveSid = false;
        long gno = 0;
        string tag = "";
        long? commitMicros = null;
        ulong encodedSize = 0;
        bool ok = MySqlSerialization.TryReadUnsigned(data, ref pos, out _)
            && MySqlSerialization.TryReadUnsigned(data, ref pos, out encodedSize)
            && MySqlSerialization.TryReadUnsigned(data, ref pos, out _);
        var message = ok ? data[..(int)Math.Min((ulong)data.Length, (ulong)start + encodedSize)] : data;
        while (ok && pos < message.Length)
        {
            ok = MySqlSerialization.TryReadUnsigned(message, ref pos, out var fieldId);
            if (!ok || fieldId > 6)
            {
                break;
            }

            switch (fieldId)
            {
                case 0:
                    ok = MySqlSerialization.TryReadUnsigned(message, ref pos, out _);
                    break;
                case 1:
                    for (int i = 0; ok && i < 16; i++)
                    {
                        ok = MySqlSerialization.TryReadUnsigned(message, ref pos, out var b) && b <= 0xFF;
                        sid[i] = (byte)b;
                    }

                    haveSid = ok;
                    break;
                case 2:
                    ok = MySqlSerialization.TryReadSigned(message, ref pos, out gno);
                    break;
                case 3:
                    ok = MySqlSerialization.TryReadUnsigned(message, ref pos, out var length)
                        && length <= 64 && pos + (int)length <= message.Length;
                    if (ok)
                    {
                        tag = Encoding.ASCII.GetString(message.Slice(pos, (int)length)).ToLowerInvariant();
                        pos += (int)length;
                    }

                    break;
                case 4:
                case 5:
                    ok = MySqlSerialization.TryReadSigned(message, ref pos, out _);
                    break;
                case 6:
                    ok = MySqlSerialization.TryReadUnsigned(message, ref pos, out var micros);
                    if (ok)
                    {
                        commitMicros = (long)(micros & ~(1UL << 55));
                    }

                    break;
            }

            if (fieldId == 6)
            {
                break;
            }
        }

        if (!ok || !haveSid || gno < 1)
        {
            Stop(_eventStart, "BadGtidEvent", "GTID_TAGGED_LOG_EVENT could not be decoded (uuid and a transaction number >= 1 are required)");
            return;
        }

        StartGroup(_eventStart);
        _groupCommitMicros = commitMicros;
        _groupUuid = UuidText(sid);
        _groupTag = tag;
        _groupNumber = (ulong)gno;
    }

    private void OnPreviousGtids(ReadOnlySpan<byte> data)
    {
        if (_previous != null)
        {
            return;   // only the first one describes the state before this file
        }

        // §6: u64 header (classic: n_sids; tagged: format in bytes 0 and 7, n_sids in bits 8..55), then entries.
        int pos = HeaderLength + PostHeaderLength(BinlogEventType.PreviousGtids);
        var entries = new List<MySqlGtidEntry>();
        string? problem = null;
        if (pos + 8 > data.Length)
        {
            problem = "body shorter than the 8-byte header";
        }
        else
        {
            ulong header = BinaryPrimitives.ReadUInt64LittleEndian(data[pos..]);
            pos += 8;
            byte format = (byte)(header >> 56);
            bool tagged = format == 1;
            ulong sids = tagged ? (header >> 8) & 0xFFFF_FFFF_FFFFUL : header;
            if (format > 1)
            {
                problem = $"unknown encoding format {format}";
            }

            for (ulong s = 0; problem == null && s < sids; s++)
            {
                if (pos + 16 > data.Length)
                {
                    problem = $"entry {s + 1} of {sids} is cut short";
                    break;
                }

                string uuid = GtidSet.FormatUuid(data.Slice(pos, 16));
                pos += 16;
                string tag = "";
                if (tagged)
                {
                    if (!MySqlSerialization.TryReadUnsigned(data, ref pos, out var tagLength) || tagLength > 64
                        || pos + (int)tagLength > data.Length)
                    {
                        problem = $"tag of entry {s + 1} is malformed";
                        break;
                    }

                    tag = Encoding.ASCII.GetString(data.Slice(pos, (int)tagLength)).ToLowerInvariant();
                    pos += (int)tagLength;
                }

                if (pos + 8 > data.Length)
                {
                    problem = $"entry {s + 1} is cut short";
                    break;
                }

                ulong count = BinaryPrimitives.ReadUInt64LittleEndian(data[pos..]);
                pos += 8;
                if (count > (ulong)(data.Length - pos) / 16)
                {
                    problem = $"entry {s + 1} claims {count} intervals, more than the event holds";
                    break;
                }

                var intervals = new List<GtidInterval>((int)count);
                for (ulong i = 0; i < count; i++)
                {
                    // Stored half-open [start, end): "1-10" is (1, 11).
                    long first = BinaryPrimitives.ReadInt64LittleEndian(data[pos..]);
                    long endExclusive = BinaryPrimitives.ReadInt64LittleEndian(data[(pos + 8)..]);
                    pos += 16;
                    if (first < 1 || endExclusive <= first)
                    {
                        problem = $"entry {s + 1} has an invalid interval [{first}, {endExclusive})";
                        break;
                    }

                    intervals.Add(new GtidInterval((ulong)first, (ulong)endExclusive - 1));
                }

                entries.Add(new MySqlGtidEntry(uuid, tag, GtidIntervalSet.From(intervals)));
            }
        }

        if (problem != null)
        {
            Stop(_eventStart, "BadPreviousGtids", "PREVIOUS_GTIDS_LOG_EVENT: " + problem);
            return;
        }

        _previous = GtidSet.FromMySql(entries);
    }

    private void OnTransactionPayload(ReadOnlySpan<byte> data, uint timestamp, long end)
    {
        // §3.1 quirk / §7: the FDE advertises a 40-byte post-header for type 40, but the TLV header starts
        // right after the common header. Fields: type, length, value (packed ints); type 0 ends it.
        int pos = HeaderLength;
        ulong payloadSize = ulong.MaxValue;
        bool ok = true;
        while (ok)
        {
            ok = MySqlSerialization.TryReadPacked(data, ref pos, out var fieldType);
            if (!ok || fieldType == 0)
            {
                break;
            }

            ok = MySqlSerialization.TryReadPacked(data, ref pos, out var length) && length <= 9
                && pos + (int)length <= data.Length;
            if (ok)
            {
                int valueAt = pos;
                ok = MySqlSerialization.TryReadPacked(data[..(pos + (int)length)], ref valueAt, out var value);
                if (fieldType == 1)
                {
                    payloadSize = value;
                }

                pos += (int)length;
            }
        }

        if (!ok || payloadSize != (ulong)(_eventSize - _checksumLength - pos))
        {
            _warnings.Add(new BinlogReadIssue(_eventStart, "BadTransactionPayload",
                "TRANSACTION_PAYLOAD_EVENT header does not match the event size; counted as a compressed transaction anyway"));
        }

        _compressedCount++;
        if (!_inGroup)
        {
            StartGroup(_eventStart);
        }

        EndGroup(timestamp, end, compressed: true);
    }

    private void OnMariaDbGtid(ReadOnlySpan<byte> data)
    {
        // §8: seq_no u64 @19, domain_id u32 @27, flags2 u8 @31; server_id from the common header.
        if (data.Length < HeaderLength + 13)
        {
            Stop(_eventStart, "BadGtidEvent", "MariaDB GTID_EVENT body is shorter than seq_no + domain_id + flags2 (13 bytes)");
            return;
        }

        StartGroup(_eventStart);
        _groupMariaDb = true;
        _groupNumber = BinaryPrimitives.ReadUInt64LittleEndian(data[19..]);
        _groupDomain = BinaryPrimitives.ReadUInt32LittleEndian(data[27..]);
        _groupServerId = BinaryPrimitives.ReadUInt32LittleEndian(data[5..]);
        byte flags2 = data[31];
        _groupEndsAtNextQuery = (flags2 & (MariaDbStandalone | MariaDbCompletedXa)) != 0;
    }

    private void OnGtidList(ReadOnlySpan<byte> data)
    {
        if (_previous != null)
        {
            return;
        }

        // §8: u32 count (low 28 bits; top 4 are flags), then count × {u32 domain, u32 server, u64 seq}.
        if (data.Length < HeaderLength + 4)
        {
            Stop(_eventStart, "BadGtidList", "GTID_LIST_EVENT is shorter than its 4-byte count");
            return;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data[19..]) & 0x0FFF_FFFF;
        int pos = HeaderLength + Math.Max(4, PostHeaderLength(BinlogEventType.MariaDbGtidList));
        if ((long)count * 16 > data.Length - pos)
        {
            Stop(_eventStart, "BadGtidList", $"GTID_LIST_EVENT claims {count} entries, more than the event holds");
            return;
        }

        var domains = new List<MariaDbGtidDomain>((int)count);
        for (int i = 0; i < count; i++, pos += 16)
        {
            uint domain = BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
            uint server = BinaryPrimitives.ReadUInt32LittleEndian(data[(pos + 4)..]);
            ulong seq = BinaryPrimitives.ReadUInt64LittleEndian(data[(pos + 8)..]);
            if (seq > 0)
            {
                domains.Add(new MariaDbGtidDomain(domain, server, GtidIntervalSet.From([new GtidInterval(1, seq)])));
            }
        }

        _previous = GtidSet.FromMariaDb(domains);
    }

    private void StartGroup(long start)
    {
        if (_inGroup)
        {
            _warnings.Add(new BinlogReadIssue(_groupStart, "UnterminatedTransaction",
                "a transaction has no terminating event before the next one starts; it is not counted"));
        }

        _inGroup = true;
        _groupBegun = false;
        _groupMariaDb = false;
        _groupEndsAtNextQuery = false;
        _groupStart = start;
        _groupCommitMicros = null;
        _groupUuid = null;
        _groupTag = "";
        _groupNumber = 0;
    }

    private void EndGroup(uint terminatorTimestamp, long end, bool compressed)
    {
        _inGroup = false;
        _transactionCount++;
        string? gtidText = null;
        bool wantText = _options.OnTransaction != null;
        if (_groupMariaDb)
        {
            _added.AddMariaDb(_groupDomain, _groupServerId, _groupNumber);
            if (wantText)
            {
                gtidText = string.Create(CultureInfo.InvariantCulture, $"{_groupDomain}-{_groupServerId}-{_groupNumber}");
            }
        }
        else if (_groupUuid != null)
        {
            _added.AddMySql(_groupUuid, _groupTag, _groupNumber);
            if (wantText)
            {
                gtidText = _groupTag.Length == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{_groupUuid}:{_groupNumber}")
                    : string.Create(CultureInfo.InvariantCulture, $"{_groupUuid}:{_groupTag}:{_groupNumber}");
            }
        }

        if (wantText)
        {
            var commitTime = _groupCommitMicros is long micros
                ? DateTimeOffset.UnixEpoch.AddTicks(micros * 10)
                : DateTimeOffset.FromUnixTimeSeconds(terminatorTimestamp);
            _options.OnTransaction!(new BinlogTransaction(gtidText, _groupStart, end, commitTime,
                _groupCommitMicros.HasValue, compressed));
        }
    }

    /// <summary>Uuid text of a SID, reusing the last string while consecutive GTIDs share a source.</summary>
    private string UuidText(ReadOnlySpan<byte> sid)
    {
        if (_lastSidText == null || !sid.SequenceEqual(_lastSid))
        {
            sid.CopyTo(_lastSid);
            _lastSidText = GtidSet.FormatUuid(sid);
        }

        return _lastSidText;
    }

    private static ulong ReadUInt56(ReadOnlySpan<byte> b) =>
        BinaryPrimitives.ReadUInt32LittleEndian(b) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(b[4..]) << 32) | ((ulong)b[6] << 48);

    private void ReportTruncatedTail(long offset, string code, string detail)
    {
        _truncated = true;
        if (_inUse)
        {
            _warnings.Add(new BinlogReadIssue(offset, code,
                detail + "; normal for a file the server is still writing (in-use flag set)"));
        }
        else
        {
            _errors.Add(new BinlogReadIssue(offset, code,
                detail + "; the in-use flag is clear, so the file was closed and is now damaged or incompletely copied"));
        }
    }

    private void AddError(long offset, string code, string message) =>
        _errors.Add(new BinlogReadIssue(offset, code, message));

    private void Stop(long offset, string code, string message)
    {
        AddError(offset, code, message);
        _phase = BinlogScanPhase.Stopped;
    }
}
