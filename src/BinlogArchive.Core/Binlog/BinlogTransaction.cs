namespace BinlogArchive.Core.Binlog;

/// <summary>
/// One committed transaction (or DDL / standalone statement group) as the reader delimited it.
/// </summary>
/// <param name="Gtid">"uuid:n", "uuid:tag:n" (MySQL) or "d-s-n" (MariaDB); null when anonymous.</param>
/// <param name="StartPosition">Offset of the first event of the group (GTID / anonymous GTID / BEGIN).</param>
/// <param name="EndPosition">Offset just past the event that ends the group (XID, COMMIT, DDL query, payload).</param>
/// <param name="CommitTime">Commit time: microseconds when <paramref name="MicrosecondPrecision"/>, else whole seconds.</param>
/// <param name="MicrosecondPrecision">True when taken from a MySQL 8.0+ GTID event's immediate_commit_timestamp.</param>
/// <param name="Compressed">True when the body was a TRANSACTION_PAYLOAD event.</param>
public sealed record BinlogTransaction(
    string? Gtid,
    long StartPosition,
    long EndPosition,
    DateTimeOffset CommitTime,
    bool MicrosecondPrecision,
    bool Compressed);
