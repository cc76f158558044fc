namespace BinlogArchive.Core.Binlog;

/// <summary>
/// Push-based binlog parser: feed it the file's bytes in order, in pieces of any size, then call
/// <see cref="Complete"/>. It keeps only the bytes of the event in progress (bounded by the
/// largest event, at most 1 GiB by spec, usually far less), so it can ride along as a side
/// pass over bytes flowing to a compressor.
/// </summary>
public sealed class BinlogScanner
{
    public BinlogScanner(string fileName, BinlogScanOptions? options = null)
    {
        throw new NotImplementedException();
    }

    public void Append(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Ends the scan (EOF) and returns what was found. Never throws for bad data: see Errors.</summary>
    public BinlogFileSummary Complete() => throw new NotImplementedException();
}
