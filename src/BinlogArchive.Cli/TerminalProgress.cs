using System.Globalization;
using BinlogArchive.Core.Archiving;

namespace BinlogArchive.Cli;

/// <summary>
/// A one-line progress bar on stderr, redrawn in place, only when stderr is a terminal: cron
/// mails and CI logs get no carriage-return noise. Thread-safe (files run in parallel).
/// </summary>
public sealed class TerminalProgress : IProgress<ProtectProgress>
{
    private const int BarWidth = 24;
    private readonly Dictionary<string, ProtectProgress> _inFlight = new(StringComparer.Ordinal);
    private readonly TextWriter _err;
    private readonly object _gate = new();

    private TerminalProgress(TextWriter err) => _err = err;

    /// <summary>Null when stderr is redirected: callers then report nothing.</summary>
    public static TerminalProgress? ForConsole() => Console.IsErrorRedirected ? null : new TerminalProgress(Console.Error);

    public void Report(ProtectProgress value)
    {
        lock (_gate)
        {
            if (value.BytesRead >= value.TotalBytes)
            {
                _inFlight.Remove(value.SourceName);
            }
            else
            {
                _inFlight[value.SourceName] = value;
            }

            var read = _inFlight.Values.Sum(p => p.BytesRead);
            var total = Math.Max(1, _inFlight.Values.Sum(p => p.TotalBytes));
            var filled = (int)(BarWidth * read / total);
            var line = _inFlight.Count == 0
                ? string.Empty
                : string.Create(CultureInfo.InvariantCulture,
                    $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {100 * read / total,3}% {string.Join(", ", _inFlight.Keys)} {read >> 20}/{total >> 20} MiB");
            _err.Write("\r" + line.PadRight(LineWidth));
            if (_inFlight.Count == 0)
            {
                _err.Write('\r');
            }
        }
    }

    // Some terminals (and `script`) report a width of 0.
    private static int LineWidth => Console.BufferWidth > 20 ? Math.Min(Console.BufferWidth - 1, 100) : 79;

    /// <summary>Clears the line so the next message starts clean.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _err.Write("\r" + new string(' ', LineWidth) + "\r");
        }
    }
}
