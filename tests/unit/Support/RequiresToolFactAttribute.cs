namespace BinlogArchive.Tests.Unit.Support;

/// <summary>A fact that needs a CLI on PATH; reported skipped (never passed) without it.</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        if (!ExternalTool.Exists(tool))
        {
            Skip = $"skipped: '{tool}' is not on PATH";
        }
    }
}
