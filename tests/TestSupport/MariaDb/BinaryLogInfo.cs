namespace BinlogArchive.Tests.MariaDb;

/// <summary>One row of SHOW BINARY LOGS.</summary>
public sealed record BinaryLogInfo(string LogName, long FileSize);
