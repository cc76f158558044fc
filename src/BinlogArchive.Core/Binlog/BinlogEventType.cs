namespace BinlogArchive.Core.Binlog;

/// <summary>Event type codes (BINLOG-FORMAT.md §4) and the names the summary counts them by.</summary>
internal static class BinlogEventType
{
    public const byte Query = 2;
    public const byte Stop = 3;
    public const byte Rotate = 4;
    public const byte FormatDescription = 15;
    public const byte Xid = 16;
    public const byte GtidLog = 33;
    public const byte AnonymousGtid = 34;
    public const byte PreviousGtids = 35;
    public const byte XaPrepare = 38;
    public const byte TransactionPayload = 40;
    public const byte HeartbeatV2 = 41;
    public const byte GtidTagged = 42;
    public const byte MariaDbAnnotateRows = 160;
    public const byte MariaDbBinlogCheckpoint = 161;
    public const byte MariaDbGtid = 162;
    public const byte MariaDbGtidList = 163;
    public const byte MariaDbStartEncryption = 164;
    public const byte MariaDbQueryCompressed = 165;

    private static readonly string?[] Names = BuildNames();

    /// <summary>The name for a known code, or null when the code is not a known event type.</summary>
    public static string? NameOf(byte code) => Names[code];

    /// <summary>Name used for codes we do not know (only for LastEventType / counts of unknown events).</summary>
    public static string UnknownName(byte code) => "UNKNOWN_EVENT_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string?[] BuildNames()
    {
        var n = new string?[256];
        string[] mysql =
        [
            "UNKNOWN_EVENT", "START_EVENT_V3", "QUERY_EVENT", "STOP_EVENT", "ROTATE_EVENT", "INTVAR_EVENT",
            "LOAD_EVENT", "SLAVE_EVENT", "CREATE_FILE_EVENT", "APPEND_BLOCK_EVENT", "EXEC_LOAD_EVENT",
            "DELETE_FILE_EVENT", "NEW_LOAD_EVENT", "RAND_EVENT", "USER_VAR_EVENT", "FORMAT_DESCRIPTION_EVENT",
            "XID_EVENT", "BEGIN_LOAD_QUERY_EVENT", "EXECUTE_LOAD_QUERY_EVENT", "TABLE_MAP_EVENT",
            "PRE_GA_WRITE_ROWS_EVENT", "PRE_GA_UPDATE_ROWS_EVENT", "PRE_GA_DELETE_ROWS_EVENT",
            "WRITE_ROWS_EVENT_V1", "UPDATE_ROWS_EVENT_V1", "DELETE_ROWS_EVENT_V1", "INCIDENT_EVENT",
            "HEARTBEAT_LOG_EVENT", "IGNORABLE_LOG_EVENT", "ROWS_QUERY_LOG_EVENT", "WRITE_ROWS_EVENT",
            "UPDATE_ROWS_EVENT", "DELETE_ROWS_EVENT", "GTID_LOG_EVENT", "ANONYMOUS_GTID_LOG_EVENT",
            "PREVIOUS_GTIDS_LOG_EVENT", "TRANSACTION_CONTEXT_EVENT", "VIEW_CHANGE_EVENT", "XA_PREPARE_LOG_EVENT",
            "PARTIAL_UPDATE_ROWS_EVENT", "TRANSACTION_PAYLOAD_EVENT", "HEARTBEAT_LOG_EVENT_V2",
            "GTID_TAGGED_LOG_EVENT",
        ];
        for (int i = 0; i < mysql.Length; i++)
        {
            n[i] = mysql[i];
        }

        string[] mariadb =
        [
            "MARIADB_ANNOTATE_ROWS_EVENT", "MARIADB_BINLOG_CHECKPOINT_EVENT", "MARIADB_GTID_EVENT",
            "MARIADB_GTID_LIST_EVENT", "MARIADB_START_ENCRYPTION_EVENT", "MARIADB_QUERY_COMPRESSED_EVENT",
            "MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1", "MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1",
            "MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1", "MARIADB_WRITE_ROWS_COMPRESSED_EVENT",
            "MARIADB_UPDATE_ROWS_COMPRESSED_EVENT", "MARIADB_DELETE_ROWS_COMPRESSED_EVENT",
        ];
        for (int i = 0; i < mariadb.Length; i++)
        {
            n[160 + i] = mariadb[i];
        }

        return n;
    }
}
