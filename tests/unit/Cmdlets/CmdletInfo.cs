using System.Reflection;

namespace BinlogArchive.Tests.Unit.Cmdlets;

/// <summary>One cmdlet class as metadata: verb, noun, switches and parameters read from raw attribute data.</summary>
internal sealed class CmdletInfo
{
    public CmdletInfo(Type type, CustomAttributeData cmdletAttribute)
    {
        Type = type;
        Verb = (string)cmdletAttribute.ConstructorArguments[0].Value!;
        Noun = (string)cmdletAttribute.ConstructorArguments[1].Value!;
        Named = cmdletAttribute.NamedArguments.ToDictionary(a => a.MemberName, a => a.TypedValue.Value);
    }

    public Type Type { get; }

    public string Verb { get; }

    public string Noun { get; }

    public string Name => $"{Verb}-{Noun}";

    public IReadOnlyDictionary<string, object?> Named { get; }

    public bool SupportsShouldProcess => Named.TryGetValue("SupportsShouldProcess", out var v) && v is true;

    /// <summary>ConfirmImpact as its numeric value (High = 3).</summary>
    public int ConfirmImpact => Named.TryGetValue("ConfirmImpact", out var v) && v is int i ? i : 2;

    public IEnumerable<Type> OutputTypes =>
        Type.GetCustomAttributesData()
            .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : [arg.Value])
            .OfType<Type>();

    public IReadOnlyList<ParameterInfo> Parameters() =>
        Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.GetCustomAttributesData()
                .Where(a => a.AttributeType.Name == "ParameterAttribute")
                .Select(a => new ParameterInfo(p, a)))
            .ToList();
}
