using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;

namespace BinlogArchive.Tests.Unit.Restore;

public sealed class RestoreTimeParserTests
{
    private static DateTimeOffset Utc(string iso) => ChainFixture.At(iso);

    [Theory]
    [InlineData("2026-11-21T10:15:00Z", "2026-11-21T10:15:00Z")]
    [InlineData("2026-11-21T10:15:00", "2026-11-21T10:15:00Z")]          // UTC unless an offset
    [InlineData("2026-11-21 10:15", "2026-11-21T10:15:00Z")]
    [InlineData("2026-11-21T11:15:00.000300+01:00", "2026-11-21T10:15:00.0003Z")]
    [InlineData("2026-11-21T05:15:00-0500", "2026-11-21T10:15:00Z")]
    public void Iso_times_without_a_zone(string text, string utc) =>
        Assert.Equal(Utc(utc), RestoreTimeParser.Parse(text));

    [Theory]
    [InlineData("2026-07-01T12:00:00", "2026-07-01T10:00:00Z")]   // CEST
    [InlineData("2026-12-01T12:00:00", "2026-12-01T11:00:00Z")]   // CET
    [InlineData("2026-10-25T02:30:00+02:00", "2026-10-25T00:30:00Z")]   // first 02:30 (still CEST)
    [InlineData("2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z")]   // second 02:30 (CET)
    public void Local_times_in_a_zone(string text, string utc)
    {
        var t = RestoreTimeParser.Parse(text, "Europe/Berlin");
        Assert.Equal(Utc(utc), t);
        Assert.Equal(t.UtcDateTime, Utc(utc).UtcDateTime);
    }

    [Fact]
    public void Nonexistent_local_time_in_spring_is_refused()
    {
        var ex = Assert.Throws<BinlogArchiveException>(() => RestoreTimeParser.Parse("2026-03-29T02:30:00", "Europe/Berlin"));
        Assert.Equal("RestoreTimeNonexistent", ex.ErrorId);
        Assert.Contains("Europe/Berlin", ex.Message);
    }

    [Fact]
    public void Ambiguous_local_time_in_autumn_is_refused_without_an_offset()
    {
        var ex = Assert.Throws<BinlogArchiveException>(() => RestoreTimeParser.Parse("2026-10-25 02:30", "Europe/Berlin"));
        Assert.Equal("RestoreTimeAmbiguous", ex.ErrorId);
        Assert.Contains("+02:00", ex.Message);
        Assert.Contains("+01:00", ex.Message);
    }

    [Fact]
    public void Offset_that_the_zone_does_not_have_is_refused()
    {
        Assert.Equal("RestoreTimeOffsetMismatch", Assert.Throws<BinlogArchiveException>(
            () => RestoreTimeParser.Parse("2026-07-01T12:00:00+01:00", "Europe/Berlin")).ErrorId);
        Assert.Equal("RestoreTimeOffsetMismatch", Assert.Throws<BinlogArchiveException>(
            () => RestoreTimeParser.Parse("2026-10-25T02:30:00+03:00", "Europe/Berlin")).ErrorId);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("2026-11-21T25:00:00Z")]
    [InlineData("2026-11-21")]
    public void Malformed_times_are_refused(string text) =>
        Assert.Equal("RestoreTimeInvalid", Assert.Throws<BinlogArchiveException>(() => RestoreTimeParser.Parse(text)).ErrorId);

    [Fact]
    public void Unknown_zone_is_refused() =>
        Assert.Equal("RestoreTimeZoneUnknown", Assert.Throws<BinlogArchiveException>(
            () => RestoreTimeParser.Parse("2026-07-01T12:00:00", "Mars/Olympus")).ErrorId);
}
