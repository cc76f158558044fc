namespace BinlogArchive.Tests.Integration.Restore;

/// <summary>
/// A point the golden test restores to, recorded on the source right after its last transaction:
/// the GTID position, a time strictly between that transaction's second and the next one's (or,
/// for the sub-second mark, inside the busy second), the binlog file+position, and the checksums.
/// </summary>
/// <param name="Name">What the mark exercises.</param>
/// <param name="LastGtid">The last GTID applied at the mark (d-s-n).</param>
/// <param name="Time">The restore time for the mark (UTC, with a fraction).</param>
/// <param name="File">SHOW MASTER STATUS file at the mark.</param>
/// <param name="Position">SHOW MASTER STATUS position at the mark.</param>
/// <param name="Checksums">CHECKSUM TABLE of every table at the mark.</param>
/// <param name="ChecksumsByTime">What a time restore must give: the mark's checksums, or for a mark inside a
/// busy second the state before that second (MariaDB records whole seconds: the planner stops before it).</param>
public sealed record PitrMark(
    string Name,
    string LastGtid,
    DateTimeOffset Time,
    string File,
    long Position,
    string Checksums,
    string ChecksumsByTime)
{
    public override string ToString() => Name;
}
