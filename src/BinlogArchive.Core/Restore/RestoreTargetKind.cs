namespace BinlogArchive.Core.Restore;

/// <summary>What a <see cref="RestoreTarget"/> names.</summary>
public enum RestoreTargetKind
{
    /// <summary>Everything archived after the backup (the latest restorable point).</summary>
    Latest,

    /// <summary>Every transaction committed at or before a time (see <see cref="RestorePlanner"/> for whole-second MariaDB times).</summary>
    Time,

    /// <summary>Up to and including the transaction with a GTID.</summary>
    StopAfterGtid,

    /// <summary>Up to but excluding the transaction with a GTID.</summary>
    StopBeforeGtid,

    /// <summary>Every event that starts before a byte position of a file (mysqlbinlog --stop-position).</summary>
    StopPosition,
}
