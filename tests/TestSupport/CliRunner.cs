using System.Diagnostics;

namespace BinlogArchive.Tests;

/// <summary>
/// Runs the real binlog-archive CLI as a separate process: the native executable named by
/// BINLOG_ARCHIVE_CLI (what ./build.sh test publishes and users install), else the
/// framework-dependent build copied next to the tests.
/// </summary>
internal static class CliRunner
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "binlog-archive.dll");

    public static string? NativeCli => Environment.GetEnvironmentVariable("BINLOG_ARCHIVE_CLI") is { Length: > 0 } path ? path : null;

    /// <summary>The CLI as a bash command prefix, quoted.</summary>
    public static string ShellCommand => NativeCli is { } native ? $"'{native}'" : $"dotnet exec '{CliDll}'";

    public sealed record Result(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? env = null, bool redirectStdin = false)
    {
        var psi = new ProcessStartInfo(NativeCli ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        if (NativeCli is null)
        {
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(CliDll);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the CLI");
    }

    public static Result Run(params string[] args) => Run(args, env: null);

    public static Result Run(IEnumerable<string> args, IDictionary<string, string?>? env, string? stdin = null, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        using var p = Start(args, env, redirectStdin: stdin is not null);
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("CLI did not finish: " + string.Join(' ', args));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}
