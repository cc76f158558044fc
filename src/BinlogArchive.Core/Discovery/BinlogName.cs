using System.Globalization;

namespace BinlogArchive.Core.Discovery;

/// <summary>A binlog file name: <c>basename.NNNNNN</c> (the server pads the sequence to six digits, and grows past 999999).</summary>
public readonly record struct BinlogName(string BaseName, long Sequence)
{
    public static bool TryParse(string fileName, out BinlogName name)
    {
        name = default;
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || dot == fileName.Length - 1)
        {
            return false;
        }

        var digits = fileName.AsSpan(dot + 1);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        name = new BinlogName(fileName[..dot], sequence);
        return true;
    }
}
