using System.Diagnostics;

namespace BinlogArchive.Tests.Unit.Support;

/// <summary>Runs a CLI (zstd, openssl) with an argument list: no shell, nothing secret on the command line.</summary>
internal static class ExternalTool
{
    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, name)));

    public static (int ExitCode, string StdErr) Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }

    public static void RunOk(string tool, params string[] args)
    {
        var (code, err) = Run(tool, args);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited {code}: {err}");
    }
}
