namespace BinlogArchive.Core.Binlog;

public static class BinlogFileReader
{
    /// <summary>
    /// Reads a binlog file once, streaming. Throws <see cref="Errors.BinlogArchiveException"/> for
    /// I/O failures (missing, unreadable); bad content is reported in the summary's Errors.
    /// </summary>
    public static BinlogFileSummary Read(string path, BinlogScanOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
