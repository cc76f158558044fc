using System.Reflection;

namespace BinlogArchive.Tests.Unit.Cmdlets;

/// <summary>One [Parameter] attribute on one property (a property may carry one per parameter set).</summary>
internal sealed class ParameterInfo
{
    public ParameterInfo(PropertyInfo property, CustomAttributeData parameterAttribute)
    {
        Property = property;
        var named = parameterAttribute.NamedArguments.ToDictionary(a => a.MemberName, a => a.TypedValue.Value);
        Set = named.TryGetValue("ParameterSetName", out var s) ? (string)s! : "__AllParameterSets";
        Mandatory = named.TryGetValue("Mandatory", out var m) && m is true;
        FromPipeline = named.TryGetValue("ValueFromPipeline", out var v) && v is true;
        FromPipelineByPropertyName = named.TryGetValue("ValueFromPipelineByPropertyName", out var b) && b is true;
        Aliases = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.Name == "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(x => (string)x.Value!) : [(string)arg.Value!])
            .ToList();
    }

    public PropertyInfo Property { get; }

    public string Name => Property.Name;

    public string TypeName => Property.PropertyType.Name;

    public string Set { get; }

    public bool Mandatory { get; }

    public bool FromPipeline { get; }

    public bool FromPipelineByPropertyName { get; }

    public IReadOnlyList<string> Aliases { get; }

    public IEnumerable<string> BindableNames => Aliases.Prepend(Name);
}
