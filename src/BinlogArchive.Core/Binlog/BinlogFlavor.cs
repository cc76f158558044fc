namespace BinlogArchive.Core.Binlog;

public enum BinlogFlavor
{
    Unknown = 0,
    MySql = 1,
    MariaDb = 2,
}
