using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Binlog;

/// <summary>A binlog file that cannot be read as binlog v4: names the file and the byte offset.</summary>
public sealed class BinlogFormatException : BinlogArchiveException
{
    public BinlogFormatException(string errorId, string file, long offset, string detail)
        : base(errorId, ErrorKind.InvalidData, $"{file}: {detail} (at byte offset {offset})", file,
            "Check that the file is a MySQL/MariaDB binary log and was copied completely.")
    {
        File = file;
        Offset = offset;
    }

    public string File { get; }

    public long Offset { get; }
}
