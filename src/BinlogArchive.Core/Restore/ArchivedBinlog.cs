using System.Globalization;
using System.Text.Json.Serialization;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// What the planner needs to know about one archived binlog: the MAC-covered sidecar fields
/// (ARCHITECTURE.md §5) plus an opaque key the executor uses to fetch it.
/// </summary>
/// <param name="Name">The source binlog file name, e.g. <c>mysql-bin.000042</c>.</param>
/// <param name="Sequence">The numeric suffix of <paramref name="Name"/>.</param>
/// <param name="FirstEventAt">Header time of the file's first event (whole seconds).</param>
/// <param name="LastEventAt">Header time of the file's last event (whole seconds; ROTATE/STOP on a closed file).</param>
/// <param name="StartPosition">Offset of the first event (4).</param>
/// <param name="EndPosition">Offset just past the last complete event (the archived length).</param>
/// <param name="PreviousGtids">PREVIOUS_GTIDS / GTID_LIST: the server's state when the file began.</param>
/// <param name="AddedGtids">GTIDs of the transactions in the file.</param>
/// <param name="ArchiveKey">Where the archive lives (store key or URI); the planner never reads it.</param>
public sealed record ArchivedBinlog(
    string Name,
    long Sequence,
    uint ServerId,
    string? ServerUuid,
    BinlogFlavor Flavor,
    DateTimeOffset? FirstEventAt,
    DateTimeOffset? LastEventAt,
    long StartPosition,
    long EndPosition,
    GtidSet PreviousGtids,
    GtidSet AddedGtids,
    string ArchiveKey)
{
    /// <summary>Previous ∪ added: the server's state at the end of the file (= previous of the next file).</summary>
    public GtidSet ExecutedGtids => PreviousGtids.Union(AddedGtids);

    [JsonIgnore]
    public ServerIdentity Server => new(ServerId, ServerUuid);

    /// <summary>Builds the planner's view from a (verified) sidecar.</summary>
    /// <exception cref="BinlogArchiveException">SidecarInvalid when a time or GTID field cannot be read.</exception>
    public static ArchivedBinlog FromSidecar(Sidecar sidecar, string archiveKey)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        ArgumentNullException.ThrowIfNull(archiveKey);
        var s = sidecar.Source;
        var flavor = s.Flavor.ToLowerInvariant() switch
        {
            "mysql" => BinlogFlavor.MySql,
            "mariadb" => BinlogFlavor.MariaDb,
            _ => BinlogFlavor.Unknown,
        };
        return new ArchivedBinlog(
            s.File,
            s.Sequence,
            s.ServerId,
            string.IsNullOrEmpty(s.ServerUuid) ? null : s.ServerUuid,
            flavor,
            Time(s.FirstEventAt, archiveKey, "first_event_at"),
            Time(s.LastEventAt, archiveKey, "last_event_at"),
            s.StartPosition,
            s.EndPosition,
            Gtids(s.Gtid.Previous, flavor, archiveKey, "gtid.previous"),
            Gtids(s.Gtid.Added, flavor, archiveKey, "gtid.added"),
            archiveKey);
    }

    public override string ToString() => Name;

    private static DateTimeOffset? Time(string? text, string key, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw Invalid(key, $"source.{field} '{text}' is not a time");
    }

    private static GtidSet Gtids(string? text, BinlogFlavor flavor, string key, string field)
    {
        try
        {
            return GtidSet.Parse(text ?? "", flavor);
        }
        catch (FormatException ex)
        {
            throw Invalid(key, $"source.{field}: {ex.Message}");
        }
    }

    private static BinlogArchiveException Invalid(string key, string what) =>
        new("SidecarInvalid", ErrorKind.InvalidData, $"{key}: sidecar unusable for restore planning: {what}.", key,
            "Verify the archive (binlog-archive verify); restore the sidecar from the store or re-protect the source binlog.");
}
