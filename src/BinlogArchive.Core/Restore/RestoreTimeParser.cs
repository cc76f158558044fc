using System.Globalization;
using System.Text.RegularExpressions;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// Parses a restore time (<c>--restore-time</c> / <c>-RestoreTime</c>).
/// <list type="bullet">
/// <item>ISO 8601 date and time, <c>T</c> or a space between them, seconds and up to 7 fraction digits
/// optional: <c>2026-11-21T10:15:00.123456Z</c>, <c>2026-11-21 10:15+01:00</c>.</item>
/// <item>Without a zone argument: UTC unless the text carries an offset (<c>Z</c>, <c>+hh:mm</c>, <c>+hhmm</c>, <c>+hh</c>).</item>
/// <item>With a zone (IANA such as <c>Europe/Berlin</c>, or a Windows id where the platform can map it):
/// the text is a wall-clock time in that zone. A time skipped by a DST change (spring forward) is
/// rejected (RestoreTimeNonexistent); a time that occurs twice (fall back) is rejected
/// (RestoreTimeAmbiguous) unless the text also carries an offset that picks one of the two; an offset
/// the zone never has at that time is rejected (RestoreTimeOffsetMismatch).</item>
/// </list>
/// The result keeps the offset in force, so messages show the time as the operator meant it.
/// </summary>
public static partial class RestoreTimeParser
{
    public static DateTimeOffset Parse(string text, string? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = IsoPattern().Match(text.Trim());
        if (!m.Success)
        {
            throw Bad(text, "it is not an ISO 8601 date and time (yyyy-MM-ddTHH:mm[:ss[.ffffff]][Z|±hh:mm])",
                "Write it like 2026-11-21T10:15:00Z, 2026-11-21T11:15:00+01:00, or a local time with -TimeZone Europe/Berlin.");
        }

        DateTime local;
        try
        {
            int Int(string group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            local = new DateTime(Int("y"), Int("mo"), Int("d"), Int("h"), Int("mi"), Int("s"), DateTimeKind.Unspecified);
            if (m.Groups["f"].Success)
            {
                local = local.AddTicks(long.Parse(m.Groups["f"].Value.PadRight(7, '0'), CultureInfo.InvariantCulture));
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Bad(text, "the date or time does not exist (month, day, hour or minute out of range)",
                "Check the date and time fields.");
        }

        TimeSpan? offset = m.Groups["z"].Success ? ParseOffset(m.Groups["z"].Value) : null;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return new DateTimeOffset(local, offset ?? TimeSpan.Zero);
        }

        var zone = FindZone(timeZone);
        if (zone.IsInvalidTime(local))
        {
            throw new BinlogArchiveException("RestoreTimeNonexistent", ErrorKind.InvalidArgument,
                $"Restore time '{text}' does not exist in {zone.Id}: the clocks skipped it (daylight saving time began).",
                text,
                $"Give a time before or after the skipped hour, or an unambiguous UTC time (e.g. {ToUtcHint(local, zone)}).");
        }

        if (zone.IsAmbiguousTime(local))
        {
            var candidates = zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).ToArray();
            var list = string.Join(" or ", candidates.Select(o => new DateTimeOffset(local, o).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)));
            if (offset is null)
            {
                throw new BinlogArchiveException("RestoreTimeAmbiguous", ErrorKind.InvalidArgument,
                    $"Restore time '{text}' occurs twice in {zone.Id} (daylight saving time ended): it is {list}.",
                    text, "Add the offset you mean to the time (one of the two above), or give the time in UTC.");
            }

            if (!candidates.Contains(offset.Value))
            {
                throw OffsetMismatch(text, zone, list);
            }

            return new DateTimeOffset(local, offset.Value);
        }

        var inForce = zone.GetUtcOffset(local);
        if (offset is { } given && given != inForce)
        {
            throw OffsetMismatch(text, zone, new DateTimeOffset(local, inForce).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
        }

        return new DateTimeOffset(local, inForce);
    }

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new BinlogArchiveException("RestoreTimeZoneUnknown", ErrorKind.InvalidArgument,
                $"Time zone '{id}' is not known on this system.", id,
                "Use an IANA zone id such as Europe/Berlin or America/New_York (Windows ids need the platform's ICU mapping), or give the time with an offset / in UTC.", ex);
        }
    }

    private static TimeSpan ParseOffset(string z)
    {
        if (z is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        var digits = z[1..].Replace(":", "", StringComparison.Ordinal);
        int hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        int minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(hours, minutes, 0);
        return z[0] == '-' ? -span : span;
    }

    private static string ToUtcHint(DateTime local, TimeZoneInfo zone)
    {
        // The instant just after the gap: the standard offset before the change applied to the wall time.
        var utc = new DateTimeOffset(local, zone.BaseUtcOffset).UtcDateTime;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static BinlogArchiveException OffsetMismatch(string text, TimeZoneInfo zone, string valid) =>
        new("RestoreTimeOffsetMismatch", ErrorKind.InvalidArgument,
            $"Restore time '{text}' carries an offset {zone.Id} does not have at that wall-clock time (valid: {valid}).",
            text, "Fix the offset, drop the time zone argument, or give the time in UTC.");

    private static BinlogArchiveException Bad(string text, string what, string action) =>
        new("RestoreTimeInvalid", ErrorKind.InvalidArgument, $"Restore time '{text}': {what}.", text, action);

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,7}))?)?\s*(?<z>[Zz]|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}
