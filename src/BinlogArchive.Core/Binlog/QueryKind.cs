namespace BinlogArchive.Core.Binlog;

/// <summary>What a QUERY event's statement means for transaction boundaries.</summary>
internal enum QueryKind
{
    /// <summary>Any other statement (DDL, a statement-based DML, SAVEPOINT, ...).</summary>
    Other,

    /// <summary>BEGIN, or XA START / XA BEGIN: opens a group.</summary>
    Begin,

    /// <summary>COMMIT or ROLLBACK: closes the group.</summary>
    Commit,
}
