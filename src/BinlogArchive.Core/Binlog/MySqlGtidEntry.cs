namespace BinlogArchive.Core.Binlog;

/// <summary>The GTIDs of one (source uuid, tag) pair. <see cref="Tag"/> is "" for untagged GTIDs.</summary>
internal sealed record MySqlGtidEntry(string Uuid, string Tag, GtidIntervalSet Numbers);
