using System.Management.Automation;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// -Path (wildcards, from the pipeline) and -LiteralPath (aliases PSPath and FullName, by property
/// name, so BinlogFile / BinlogArchiveEntry / Get-ChildItem output binds) in separate sets.
/// </summary>
public abstract class BinlogPathCmdlet : PSCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    protected IEnumerable<string> ResolveInputPaths()
    {
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (var literal in LiteralPath)
            {
                yield return GetUnresolvedProviderPathFromPSPath(literal);
            }

            yield break;
        }

        foreach (var pattern in Path)
        {
            foreach (var resolved in GetResolvedProviderPathFromPSPath(pattern, out _))
            {
                yield return resolved;
            }
        }
    }
}
