using System.Reflection;
using System.Runtime.Loader;

namespace BinlogArchive.Cmdlets;

/// <summary>The module's private load context over the Dependencies/ folder beside the cmdlet assembly.</summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    private DependencyLoadContext(string directory)
        : base("BinlogArchive", isCollectible: false) => _directory = directory;

    public static DependencyLoadContext Instance { get; } = new(Path.Combine(
        Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies"));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Framework assemblies (System.*) stay shared with PowerShell: returning null defers to it.
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
