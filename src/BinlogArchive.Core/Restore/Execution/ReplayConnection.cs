using System.Globalization;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// How the mysql / mariadb client reaches the target server. There is deliberately no password:
/// it comes from MYSQL_PWD (inherited by the client) or from the defaults file (ARCHITECTURE.md §8).
/// </summary>
public sealed record ReplayConnection
{
    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? Socket { get; init; }

    public string? User { get; init; }

    /// <summary>Passed as the client's first argument (the client requires that position).</summary>
    public string? DefaultsExtraFile { get; init; }

    /// <summary>The client's connection arguments, defaults file first.</summary>
    public IReadOnlyList<string> ClientArguments()
    {
        var args = new List<string>();
        if (DefaultsExtraFile is { Length: > 0 } f)
        {
            args.Add("--defaults-extra-file=" + f);
        }

        if (Host is { Length: > 0 } h)
        {
            args.Add("--host=" + h);
        }

        if (Port is { } p)
        {
            args.Add("--port=" + p.ToString(CultureInfo.InvariantCulture));
        }

        if (Socket is { Length: > 0 } s)
        {
            args.Add("--socket=" + s);
        }

        if (User is { Length: > 0 } u)
        {
            args.Add("--user=" + u);
        }

        return args;
    }

    public override string ToString() =>
        Socket is { Length: > 0 } s ? $"socket {s}" : $"{Host ?? "localhost"}:{Port?.ToString(CultureInfo.InvariantCulture) ?? "3306"}";
}
