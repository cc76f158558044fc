using System.Globalization;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// The point to restore to (ARCHITECTURE.md §8): <c>--restore-time T</c> applies every transaction
/// committed at or before T; <c>--stop-gtid G</c> up to and including G; <c>--stop-before-gtid G</c>
/// excludes G; <c>--stop-position FILE:POS</c> applies every event that starts before POS in FILE.
/// Build one with the factory members; the CLI and cmdlet parse their text with
/// <see cref="RestoreTimeParser"/>, <see cref="ParseStopPosition"/>.
/// </summary>
public sealed record RestoreTarget
{
    private RestoreTarget(RestoreTargetKind kind)
    {
        Kind = kind;
    }

    public RestoreTargetKind Kind { get; }

    /// <summary>For <see cref="RestoreTargetKind.Time"/>: the instant (offset preserved as given).</summary>
    public DateTimeOffset? Time { get; private init; }

    /// <summary>For the GTID kinds: one GTID, <c>uuid:n</c>, <c>uuid:tag:n</c> or <c>d-s-n</c>.</summary>
    public string? Gtid { get; private init; }

    /// <summary>For <see cref="RestoreTargetKind.StopPosition"/>: the binlog file name.</summary>
    public string? File { get; private init; }

    /// <summary>For <see cref="RestoreTargetKind.StopPosition"/>: events starting before this offset are applied.</summary>
    public long? Position { get; private init; }

    public static RestoreTarget Latest { get; } = new(RestoreTargetKind.Latest);

    public static RestoreTarget AtTime(DateTimeOffset time) => new(RestoreTargetKind.Time) { Time = time };

    public static RestoreTarget StopAfterGtid(string gtid) => new(RestoreTargetKind.StopAfterGtid) { Gtid = CheckGtid(gtid) };

    public static RestoreTarget StopBeforeGtid(string gtid) => new(RestoreTargetKind.StopBeforeGtid) { Gtid = CheckGtid(gtid) };

    public static RestoreTarget StopAtPosition(string file, long position)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (position < 4)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                $"Stop position {position} in {file} is not a binlog offset (at least 4).", file,
                "Use an End_log_pos from SHOW BINLOG EVENTS or mysqlbinlog output.");
        }

        return new(RestoreTargetKind.StopPosition) { File = file, Position = position };
    }

    /// <summary>CLI <c>--stop-position FILE:POS</c>.</summary>
    public static RestoreTarget ParseStopPosition(string text)
    {
        var (file, position) = BackupCoordinates.ParseFileAndPosition(text, "--stop-position");
        return StopAtPosition(file, position);
    }

    public override string ToString() => Kind switch
    {
        RestoreTargetKind.Latest => "latest restorable point",
        RestoreTargetKind.Time => "time " + Time!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        RestoreTargetKind.StopAfterGtid => $"up to and including GTID {Gtid}",
        RestoreTargetKind.StopBeforeGtid => $"up to but excluding GTID {Gtid}",
        _ => string.Create(CultureInfo.InvariantCulture, $"events starting before {File}:{Position}"),
    };

    private static string CheckGtid(string gtid)
    {
        ArgumentNullException.ThrowIfNull(gtid);
        var text = gtid.Trim();
        try
        {
            // Contains validates the single-GTID syntax of either notation.
            _ = Binlog.GtidSet.Empty(Binlog.BinlogFlavor.Unknown).Contains(text);
        }
        catch (FormatException ex)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                $"'{gtid}' is not a single GTID: {ex.Message}", gtid,
                "Give one GTID: uuid:n (MySQL), uuid:tag:n (MySQL 8.4 tagged) or domain-server-seq (MariaDB).", ex);
        }

        return text;
    }
}
