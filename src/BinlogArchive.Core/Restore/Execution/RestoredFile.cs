namespace BinlogArchive.Core.Restore.Execution;

/// <summary>One binlog the restore used: the range applied (or written) and what it cost.</summary>
/// <param name="File">The binlog file name.</param>
/// <param name="ArchiveUri">Where its archive came from.</param>
/// <param name="StartPosition">First byte applied (events before it, except the format description, were skipped).</param>
/// <param name="StopPosition">Bytes from here on were not applied; the file's end when the whole file was.</param>
/// <param name="ArchiveBytes">Encrypted bytes fetched.</param>
/// <param name="PlainBytes">Binlog bytes fed to the replay (or written to the output directory).</param>
/// <param name="OutputPath">The plain binlog written (output-directory mode).</param>
public sealed record RestoredFile(
    string File,
    string ArchiveUri,
    long StartPosition,
    long StopPosition,
    long ArchiveBytes,
    long PlainBytes,
    string? OutputPath);
