namespace BinlogArchive.Tests.Unit.Discovery;

/// <summary>Lays out a fake binlog directory from real binlog files: copies plus an index.</summary>
internal sealed class BinlogDirectoryBuilder
{
    private readonly string _dir;
    private readonly List<string> _indexLines = [];

    public BinlogDirectoryBuilder(string dir) => _dir = dir;

    public string Add(string sourceFile, string name, bool inIndex = true)
    {
        var target = Path.Combine(_dir, name);
        File.Copy(sourceFile, target);
        if (inIndex)
        {
            _indexLines.Add("./" + name);
        }

        return target;
    }

    public void ListMissing(string name) => _indexLines.Add("./" + name);

    public string WriteIndex(string name = "mysql-bin.index")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, _indexLines);
        return path;
    }
}
