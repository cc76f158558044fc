namespace BinlogArchive.Tests.MariaDb;

/// <summary>
/// A database with a unique name for one test, dropped on Dispose, so tests never see each
/// other's tables. The CREATE/DROP are logged like any DDL (each is its own GTID).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly MariaDbServer _server;
    private bool _disposed;

    internal TestDatabase(MariaDbServer server, string name)
    {
        _server = server;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Runs SQL (one or more statements) with this database as the default.</summary>
    public IReadOnlyList<string[]> Query(string sql) => _server.Query(sql, Name);

    public void Execute(string sql) => _server.Execute(sql, Name);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _server.Execute($"DROP DATABASE IF EXISTS `{Name}`");
    }
}
