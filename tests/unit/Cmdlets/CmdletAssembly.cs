using System.Reflection;
using System.Runtime.InteropServices;

namespace BinlogArchive.Tests.Unit.Cmdlets;

/// <summary>
/// The built cmdlet DLL opened with MetadataLoadContext: attribute data is read raw, because the
/// PowerShellStandard stub that could be loaded for real answers every attribute property empty.
/// </summary>
internal sealed class CmdletAssembly : IDisposable
{
    private readonly MetadataLoadContext _context;

    private CmdletAssembly(MetadataLoadContext context, Assembly cmdlets, Assembly sma)
    {
        _context = context;
        Assembly = cmdlets;
        Sma = sma;
    }

    public Assembly Assembly { get; }

    public Assembly Sma { get; }

    public static string Metadata(string key) =>
        typeof(CmdletAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string DllPath => Path.GetFullPath(Metadata("CmdletsAssembly"));

    public static CmdletAssembly Open()
    {
        var smaPath = Path.Combine(Metadata("PowerShellStandardDir"), "System.Management.Automation.dll");
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Path.GetDirectoryName(DllPath)!, "*.dll"))
            .Append(smaPath)
            .Append(Path.Combine(Metadata("PowerShellStandardDir"), "netstandard.dll"))
            .Where(File.Exists)
            .GroupBy(Path.GetFileName)
            .Select(g => g.First());
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        return new CmdletAssembly(context, context.LoadFromAssemblyPath(DllPath), context.LoadFromAssemblyPath(smaPath));
    }

    public IReadOnlyList<CmdletInfo> Cmdlets() =>
        Assembly.GetTypes()
            .Select(t => (Type: t, Attr: t.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Attr is not null)
            .Select(x => new CmdletInfo(x.Type, x.Attr!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Every approved verb: the const string fields of the Verbs* classes.</summary>
    public IReadOnlySet<string> ApprovedVerbs() =>
        Sma.GetTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    public void Dispose() => _context.Dispose();
}
