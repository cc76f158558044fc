using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Serialization;

namespace BinlogArchive.Cli;

/// <summary>
/// Results go to stdout (JSON with --json, text otherwise); logs, warnings and errors go to
/// stderr, so `--json | jq` always sees clean JSON.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        Json = json;
        Out = stdout ?? Console.Out;
        Err = stderr ?? Console.Error;
    }

    public bool Json { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo) => Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));

    public void Info(string message) => Err.WriteLine(message);

    public void Warning(string errorId, string message) => Err.WriteLine($"warning [{errorId}]: {message}");

    public void Error(string errorId, string message, string? recommendedAction = null)
    {
        Err.WriteLine($"error [{errorId}]: {message}");
        if (!string.IsNullOrEmpty(recommendedAction))
        {
            Err.WriteLine($"  what to do: {recommendedAction}");
        }
    }

    /// <summary>Discovery problems: errors (a binlog gone before it was archived) and warnings.</summary>
    public void Report(IEnumerable<DiscoveryIssue> issues)
    {
        foreach (var issue in issues)
        {
            if (issue.Severity == DiscoverySeverity.Error)
            {
                Error(issue.ErrorId, issue.Message);
            }
            else
            {
                Warning(issue.ErrorId, issue.Message);
            }
        }
    }

    public int Fail(BinlogArchiveException ex)
    {
        Error(ex.ErrorId, ex.Message, ex.RecommendedAction);
        return ex.Kind == ErrorKind.InvalidArgument ? ExitCodes.BadUsage : ExitCodes.ItemFailed;
    }
}
