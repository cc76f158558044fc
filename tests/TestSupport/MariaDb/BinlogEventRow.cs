namespace BinlogArchive.Tests.MariaDb;

/// <summary>One row of SHOW BINLOG EVENTS, as the server reports it.</summary>
public sealed record BinlogEventRow(string LogName, long Pos, string EventType, long ServerId, long EndLogPos, string Info);
