using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace BinlogArchive.Tests.Unit.Cmdlets;

/// <summary>
/// The module's public surface, checked from metadata alone (no PowerShell runtime here):
/// naming, ShouldProcess, pipeline binding, formatting, manifest and key-material rules.
/// </summary>
public sealed class CmdletMetadataTests : IDisposable
{
    private static readonly string[] WritingVerbs = ["Protect", "Send", "Restore", "New", "Update", "Remove", "Set"];

    private readonly CmdletAssembly _asm = CmdletAssembly.Open();

    public void Dispose() => _asm.Dispose();

    [Fact]
    public void Cmdlets_use_approved_verbs_Binlog_nouns_and_Verb_Noun_Command_class_names()
    {
        var verbs = _asm.ApprovedVerbs();
        var cmdlets = _asm.Cmdlets();

        Assert.NotEmpty(cmdlets);
        Assert.Contains("Protect", verbs);
        Assert.All(cmdlets, c =>
        {
            Assert.Contains(c.Verb, verbs);
            Assert.StartsWith("Binlog", c.Noun.Replace("Closed", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal($"{c.Verb}{c.Noun}Command", c.Type.Name);
            Assert.True(c.Type.IsSealed, $"{c.Type.Name} should be sealed");
        });
    }

    [Fact]
    public void Cmdlets_that_write_support_ShouldProcess_and_Restore_asks_with_High_impact()
    {
        foreach (var c in _asm.Cmdlets().Where(c => WritingVerbs.Contains(c.Verb)))
        {
            Assert.True(c.SupportsShouldProcess, $"{c.Name} writes, so it must support -WhatIf/-Confirm");
            if (c.Verb == "Restore")
            {
                Assert.Equal(3, c.ConfirmImpact);
            }
        }
    }

    [Fact]
    public void At_most_one_ValueFromPipeline_parameter_per_set()
    {
        foreach (var c in _asm.Cmdlets())
        {
            foreach (var set in c.Parameters().GroupBy(p => p.Set))
            {
                var pipeline = set.Where(p => p.FromPipeline).Select(p => p.Name).ToList();
                var shared = set.Key == "__AllParameterSets" ? [] : c.Parameters().Where(p => p.Set == "__AllParameterSets" && p.FromPipeline).Select(p => p.Name);
                Assert.True(pipeline.Concat(shared).Count() <= 1, $"{c.Name} set {set.Key}: {string.Join(", ", pipeline.Concat(shared))}");
            }
        }
    }

    [Fact]
    public void Every_cmdlet_declares_an_OutputType_and_every_output_type_has_a_table_view()
    {
        var format = XDocument.Load(Path.Combine(RepoPaths.Root, "module", "BinlogArchive.format.ps1xml"));
        var viewed = format.Descendants("ViewSelectedBy").Elements("TypeName").Select(e => e.Value.Trim()).ToHashSet();

        foreach (var c in _asm.Cmdlets())
        {
            var outputs = c.OutputTypes.ToList();
            Assert.True(outputs.Count > 0, $"{c.Name} has no [OutputType]");
            foreach (var t in outputs.Where(t => t.Namespace?.StartsWith("BinlogArchive", StringComparison.Ordinal) == true))
            {
                Assert.True(viewed.Contains(t.FullName!), $"no format view for {t.FullName} ({c.Name})");
            }
        }
    }

    [Theory]
    [InlineData("Get-ClosedBinlog", "Protect-Binlog")]
    [InlineData("Protect-Binlog", "Test-BinlogArchive")]
    [InlineData("Test-BinlogArchive", "Send-BinlogArchive")]
    public void Each_stage_output_binds_to_the_next_stage_by_property_name(string producer, string consumer)
    {
        var cmdlets = _asm.Cmdlets().ToDictionary(c => c.Name);
        var produced = cmdlets[producer].OutputTypes
            .Where(t => t.Namespace?.StartsWith("BinlogArchive", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetProperties().Select(p => p.Name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bindable = cmdlets[consumer].Parameters().Where(p => p.FromPipelineByPropertyName).ToList();

        var matches = bindable.Where(p => p.BindableNames.Any(produced.Contains)).Select(p => p.Name).ToList();

        Assert.True(matches.Count > 0,
            $"no property of {producer}'s output binds to a ByPropertyName parameter of {consumer} ({string.Join(", ", bindable.Select(p => p.Name))})");
        Assert.Contains("LiteralPath", matches);
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_found()
    {
        var psd1 = File.ReadAllText(Path.Combine(RepoPaths.Root, "module", "BinlogArchive.psd1"));
        var block = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).Order().ToList();

        Assert.Equal(_asm.Cmdlets().Select(c => c.Name).Order().ToList(), exported);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core'\)", psd1);
        Assert.Matches(@"PowerShellVersion\s*=\s*'7\.4'", psd1);
    }

    [Fact]
    public void Staged_module_keeps_dependencies_apart_and_never_ships_the_PowerShell_stub()
    {
        var module = Path.Combine(Path.GetDirectoryName(CmdletAssembly.DllPath)!, "module", "BinlogArchive");
        var top = Directory.GetFiles(module).Select(Path.GetFileName).Order().ToList();
        var dependencies = Directory.GetFiles(Path.Combine(module, "Dependencies")).Select(Path.GetFileName).ToList();
        var manifest = File.ReadAllText(Path.Combine(module, "BinlogArchive.psd1"));
        var version = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props")), "<VersionPrefix>(.*)</VersionPrefix>").Groups[1].Value;

        Assert.Equal(["BinlogArchive.Cmdlets.dll", "BinlogArchive.format.ps1xml", "BinlogArchive.psd1"], top);
        Assert.True(File.Exists(Path.Combine(module, "en-US", "BinlogArchive.Cmdlets.dll-Help.xml")), "help is staged with the module");
        Assert.Contains("BinlogArchive.Core.dll", dependencies);
        Assert.DoesNotContain(Directory.GetFiles(module, "*", SearchOption.AllDirectories), f => f.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal));
        Assert.Contains($"ModuleVersion        = '{version}'", manifest);
        Assert.Contains("RootModule           = 'BinlogArchive.Cmdlets.dll'", manifest);
    }

    [Fact]
    public void Module_initializer_resolves_the_engine_into_a_private_load_context()
    {
        var initializer = _asm.Assembly.GetTypes().Single(t => t.Name == "ModuleInitializer");

        Assert.Contains(initializer.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyInitializer");
        Assert.Contains(_asm.Assembly.GetTypes(), t => t.BaseType?.FullName == "System.Runtime.Loader.AssemblyLoadContext");
    }

    [Fact]
    public void Every_cmdlet_and_parameter_has_help_with_an_example_and_the_MAML_is_current()
    {
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "module", "help", "help.json"))).RootElement;
        var maml = XDocument.Load(Path.Combine(RepoPaths.Root, "module", "en-US", "BinlogArchive.Cmdlets.dll-Help.xml"));
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace m = "http://schemas.microsoft.com/maml/2004/10";
        var commands = maml.Descendants(command + "command").ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value);

        foreach (var c in _asm.Cmdlets())
        {
            Assert.True(json.TryGetProperty(c.Name, out var help), $"module/help/help.json has no entry for {c.Name}");
            Assert.True(commands.TryGetValue(c.Name, out var xml), $"MAML has no {c.Name}: run module/help/generate-maml.py");
            var documented = help.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var p in c.Parameters().Select(p => p.Name).Distinct())
            {
                Assert.True(documented.Contains(p), $"{c.Name} -{p} has no help text");
            }

            Assert.True(help.GetProperty("examples").GetArrayLength() > 0, $"{c.Name} has no example");
            Assert.Equal(help.GetProperty("synopsis").GetString(), xml.Element(command + "details")!.Element(m + "description")!.Value);
            Assert.Equal(documented.Order(), xml.Descendants(command + "parameter").Select(p => p.Element(m + "name")!.Value).Order());
        }
    }

    [Fact]
    public void No_string_parameter_carries_key_material()
    {
        var secretish = new Regex("key|secret|password|passphrase|token|credential", RegexOptions.IgnoreCase);
        var allowedSuffix = new Regex("(File|Path|Id|Directory|Uri)$");
        foreach (var c in _asm.Cmdlets())
        {
            foreach (var p in c.Parameters().Where(p => secretish.IsMatch(p.Name)))
            {
                var isText = p.TypeName is "String" or "String[]" or "SecureString";
                Assert.False(isText && !allowedSuffix.IsMatch(p.Name),
                    $"{c.Name} -{p.Name} is a {p.TypeName}: keys arrive as byte[] (-Key) or a file (-KeyFile)");
            }
        }
    }

    [Fact]
    public void Parameter_surface_matches_the_golden_snapshot()
    {
        var golden = Path.Combine(RepoPaths.Root, "tests", "unit", "Cmdlets", "parameter-surface.golden.txt");
        var actual = Surface();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
        }

        Assert.True(File.Exists(golden), "golden snapshot missing: run the tests with UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), actual);
    }

    private string Surface()
    {
        var sb = new StringBuilder();
        foreach (var c in _asm.Cmdlets())
        {
            sb.Append(c.Name).Append(" ShouldProcess=").Append(c.SupportsShouldProcess).Append(" ConfirmImpact=").Append(c.ConfirmImpact)
              .Append(" Output=").AppendJoin(",", c.OutputTypes.Select(t => t.Name)).Append('\n');
            foreach (var p in c.Parameters().OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Set, StringComparer.Ordinal))
            {
                sb.Append("  -").Append(p.Name).Append(" [").Append(p.TypeName).Append("] set=").Append(p.Set);
                if (p.Mandatory)
                {
                    sb.Append(" mandatory");
                }

                if (p.FromPipeline)
                {
                    sb.Append(" pipeline");
                }

                if (p.FromPipelineByPropertyName)
                {
                    sb.Append(" by-property-name");
                }

                if (p.Aliases.Count > 0)
                {
                    sb.Append(" aliases=").AppendJoin(",", p.Aliases);
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }
}
