namespace BinlogArchive.Core.Cycle;

public enum CycleOutcome
{
    /// <summary>The store's catalog already holds this binlog with the same content: nothing done.</summary>
    AlreadyStored,

    /// <summary>Protected, verified and sent in this run.</summary>
    Archived,

    /// <summary>Dry run: would be protected and sent.</summary>
    WouldArchive,

    Failed,
}
