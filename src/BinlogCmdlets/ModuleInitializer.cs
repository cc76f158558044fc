using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Runs when the module is imported. The engine and its SDKs (AWSSDK, Azure.Identity) live in
/// Dependencies/, out of PowerShell's reach, so the default load context cannot find them and
/// asks us; we hand it the engine from our own load context, where the engine's dependencies
/// then resolve from Dependencies/ too. Another module's AWSSDK or Azure.Identity in the default
/// context never meets ours. (PowerShell docs: "Resolving PowerShell module assembly dependency
/// conflicts".)
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssembly = "BinlogArchive.Core";

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssembly ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;
}
