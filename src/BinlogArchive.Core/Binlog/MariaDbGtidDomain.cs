namespace BinlogArchive.Core.Binlog;

/// <summary>
/// The seq numbers of one MariaDB replication domain, and the server id that wrote the highest of
/// them (what gtid_binlog_pos and GTID_LIST print for the domain).
/// </summary>
internal sealed record MariaDbGtidDomain(uint DomainId, uint ServerId, GtidIntervalSet Seqs);
