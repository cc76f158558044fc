namespace BinlogArchive.Core.Restore;

/// <summary>
/// One archive to replay: <c>mysqlbinlog --start-position=StartPosition [--stop-position=StopPosition]</c>.
/// </summary>
/// <param name="Archive">The archived binlog.</param>
/// <param name="StartPosition">First byte to apply: the backup's position in the first file, the file's start (4) otherwise
/// (or the first transaction the previous server had not written, after a switchover).</param>
/// <param name="StopPosition">Events starting at or after this offset are not applied; null for the whole file.</param>
/// <param name="Switchover">True when this file was written by a different server than the step before it.</param>
public sealed record RestoreStep(ArchivedBinlog Archive, long StartPosition, long? StopPosition, bool Switchover = false)
{
    public string File => Archive.Name;

    public override string ToString() =>
        $"{Archive.Name} from {StartPosition} to {(StopPosition is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "end")}";
}
