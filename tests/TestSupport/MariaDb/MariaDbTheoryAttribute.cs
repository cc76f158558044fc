namespace BinlogArchive.Tests.MariaDb;

/// <summary>The theory twin of <see cref="MariaDbFactAttribute"/>: same skip/fail rules.</summary>
public sealed class MariaDbTheoryAttribute : TheoryAttribute
{
    public MariaDbTheoryAttribute()
    {
        if (MariaDbAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
