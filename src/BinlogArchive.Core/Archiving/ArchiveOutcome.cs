namespace BinlogArchive.Core.Archiving;

/// <summary>What protect did with one source binlog.</summary>
public enum ArchiveOutcome
{
    /// <summary>A new archive and sidecar were written.</summary>
    Created,

    /// <summary>A complete, valid archive of the same source content already existed.</summary>
    AlreadyArchived,

    /// <summary>-WhatIf / dry run: nothing was written.</summary>
    WouldCreate,
}
