namespace BinlogArchive.Core.Binlog;

/// <summary>An inclusive range of GTID numbers (MySQL gno or MariaDB seq_no): <see cref="First"/>..<see cref="Last"/>.</summary>
internal readonly record struct GtidInterval(ulong First, ulong Last);
