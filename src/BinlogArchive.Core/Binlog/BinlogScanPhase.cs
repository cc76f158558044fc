namespace BinlogArchive.Core.Binlog;

/// <summary>Where <see cref="BinlogScanner"/> is in the byte stream.</summary>
internal enum BinlogScanPhase
{
    /// <summary>Collecting the 4-byte magic.</summary>
    Magic,

    /// <summary>Collecting the 19-byte common header of the next event.</summary>
    Header,

    /// <summary>Inside an event whose header has been read.</summary>
    Body,

    /// <summary>A fatal error was recorded; further bytes are only counted.</summary>
    Stopped,
}
