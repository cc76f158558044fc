using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore.Execution;

/// <summary>
/// Applies binlogs through ONE mysqlbinlog process piped into ONE mysql client session, so
/// temporary tables and transactions that span a rotation survive (one session sees them all).
/// <para>
/// Plaintext never reaches a disk: mysqlbinlog reads its standard input (<c>-</c>), which this class
/// feeds with one concatenated binlog stream — the first file from its magic, later files without
/// theirs (their own format description event starts each), each cut to the plan's positions by
/// <see cref="BinlogSlice"/>. Named pipes as file arguments do not work: mariadb-binlog 10.11 seeks in
/// every file it opens and fails on a FIFO ("Failed reading header; probably an empty file").
/// </para>
/// <para>
/// Decoding runs ahead of the applier through a bounded in-memory channel (16 MiB), so decryption
/// and decompression of the next chunk or file overlap with the server applying the current one.
/// </para>
/// </summary>
internal sealed class BinlogReplayer
{
    private const int ChannelCapacity = 16;
    private const int StderrLimit = 64 * 1024;

    private readonly ClientTools _tools;
    private readonly ReplayConnection _connection;
    private readonly KeyRing _keys;

    public BinlogReplayer(ClientTools tools, ReplayConnection connection, KeyRing keys)
    {
        _tools = tools;
        _connection = connection;
        _keys = keys;
    }

    public sealed record Outcome(IReadOnlyList<long> PlainBytes, TimeSpan Decode, TimeSpan Apply, string Command);

    private readonly record struct Piece(byte[] Buffer, int Length, int FileIndex, long ReachedInFile);

    public IReadOnlyList<string> BinlogToolArguments => ["--no-defaults", "-"];

    /// <summary>
    /// The client's arguments: the connection, <c>--binary-mode</c> (mysqlbinlog output may hold any
    /// bytes) and the largest packet the protocol allows, because one row event batch of a big
    /// transaction becomes a single BINLOG '...' statement (the server's max_allowed_packet must allow it too).
    /// </summary>
    public IReadOnlyList<string> ClientArguments => [.. _connection.ClientArguments(), .. ExtraClientArguments];

    public static IReadOnlyList<string> ExtraClientArguments => ["--binary-mode", "--max-allowed-packet=1073741824"];

    public string CommandText =>
        $"{_tools.BinlogTool} {string.Join(' ', BinlogToolArguments)} | {_tools.Client} {string.Join(' ', ClientArguments)}";

    public async Task<Outcome> ReplayAsync(IReadOnlyList<ReplayFeed> feeds, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var apply = Stopwatch.StartNew();
        using var binlog = Start(_tools.BinlogTool, BinlogToolArguments);
        using var client = Start(_tools.Client, ClientArguments);
        var binlogErr = CaptureAsync(binlog.StandardError);
        var clientErr = CaptureAsync(client.StandardError);
        var channel = Channel.CreateBounded<Piece>(new BoundedChannelOptions(ChannelCapacity) { SingleReader = true, SingleWriter = true });
        var plainBytes = new long[feeds.Count];
        long decodeTicks = 0;
        string reached = $"{feeds[0].Archive.Binlog.Name}:{feeds[0].StartPosition} (nothing fed yet)";

        var decoder = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            long blocked = 0;
            try
            {
                for (int i = 0; i < feeds.Count; i++)
                {
                    var feed = feeds[i];
                    int index = i;
                    await using var plain = BinlogSlice.OpenPlaintext(feed.CachedPath, _keys);
                    plainBytes[i] = await BinlogSlice.CopyAsync(plain, feed.StartPosition, feed.StopPosition, skipMagic: i > 0,
                        feed.Archive.Binlog.Name, async (chunk, sourceEnd, ct) =>
                        {
                            var copy = ArrayPool<byte>.Shared.Rent(chunk.Length);
                            chunk.CopyTo(copy);
                            var w = Stopwatch.GetTimestamp();
                            await channel.Writer.WriteAsync(new Piece(copy, chunk.Length, index, sourceEnd), ct).ConfigureAwait(false);
                            blocked += Stopwatch.GetTimestamp() - w;
                        }, failed.Token).ConfigureAwait(false);
                }

                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
                throw;
            }
            finally
            {
                decodeTicks = watch.Elapsed.Ticks - (long)(blocked * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            }
        }, CancellationToken.None);

        var feeder = Task.Run(async () =>
        {
            var stdin = binlog.StandardInput.BaseStream;
            try
            {
                await foreach (var piece in channel.Reader.ReadAllAsync(failed.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await stdin.WriteAsync(piece.Buffer.AsMemory(0, piece.Length), failed.Token).ConfigureAwait(false);
                        reached = string.Create(CultureInfo.InvariantCulture, $"{feeds[piece.FileIndex].Archive.Binlog.Name}:{piece.ReachedInFile}");
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(piece.Buffer);
                    }
                }
            }
            finally
            {
                // EOF for mysqlbinlog: it then finishes its output and exits.
                try
                {
                    stdin.Close();
                }
                catch (IOException)
                {
                }
            }
        }, CancellationToken.None);

        var pump = Task.Run(async () =>
        {
            var stdin = client.StandardInput.BaseStream;
            try
            {
                await binlog.StandardOutput.BaseStream.CopyToAsync(stdin, 1 << 20, failed.Token).ConfigureAwait(false);
            }
            finally
            {
                try
                {
                    stdin.Close();
                }
                catch (IOException)
                {
                }
            }
        }, CancellationToken.None);

        // Watch all of them at once: whichever fails first (or the client exiting while there is still
        // input for it) stops the others, so a dead client can never leave the decoder blocked.
        Exception? first = null;
        var clientExit = client.WaitForExitAsync(CancellationToken.None);
        var running = new List<Task> { decoder, feeder, pump, clientExit };
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            bool clientGaveUp = done == clientExit && !pump.IsCompleted;
            if (done.IsFaulted || done.IsCanceled || clientGaveUp)
            {
                first ??= done.Exception?.InnerException ?? new IOException("the client exited before the end of the input");
                // Stop both tools before anything else reaches the client: an unfinished transaction
                // is rolled back when its session ends.
                failed.Cancel();
                Kill(binlog);
                if (first is not IOException)
                {
                    Kill(client);
                }
            }
        }

        await binlog.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await client.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        apply.Stop();
        var clientError = (await clientErr.ConfigureAwait(false)).Trim();
        var binlogError = (await binlogErr.ConfigureAwait(false)).Trim();

        if (client.ExitCode != 0)
        {
            throw new BinlogArchiveException("ReplayFailed", ErrorKind.WriteError,
                $"The client {Path.GetFileName(_tools.Client)} failed (exit {client.ExitCode}) while replaying; the replay had been fed up to {reached}: {Show(clientError)}"
                + (binlogError.Length > 0 ? $" ({Path.GetFileName(_tools.BinlogTool)} said: {Show(binlogError)})" : ""),
                reached,
                "Statements before the failing one were applied. Fix the cause (\"Server has gone away\" or \"packet bigger than max_allowed_packet\": raise the target's max_allowed_packet, e.g. SET GLOBAL max_allowed_packet = 1073741824), restore the target from the base backup again and rerun (or use --continue after checking the target's state).");
        }

        if (first is BinlogArchiveException known)
        {
            throw known;
        }

        if (binlog.ExitCode != 0 || first is not null)
        {
            throw new BinlogArchiveException("ReplayFailed", ErrorKind.WriteError,
                $"{Path.GetFileName(_tools.BinlogTool)} failed (exit {binlog.ExitCode}) after being fed up to {reached}: {Show(binlogError.Length > 0 ? binlogError : first?.Message ?? "")}",
                reached,
                "The client applied what it received before the failure; restore the target from the base backup again and rerun.");
        }

        return new Outcome(plainBytes, TimeSpan.FromTicks(Math.Max(0, decodeTicks)), apply.Elapsed, CommandText);
    }

    /// <summary>Runs one statement through the client and returns the first column of the first row ("" when none).</summary>
    public async Task<string> QueryScalarAsync(string sql, CancellationToken cancellationToken)
    {
        using var process = Start(_tools.Client, [.. _connection.ClientArguments(), "--batch", "--skip-column-names", "-e", sql]);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = CaptureAsync(process.StandardError);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new BinlogArchiveException("ReplayTargetUnreachable", ErrorKind.ConnectionError,
                $"Cannot query the target server ({_connection}) with {Path.GetFileName(_tools.Client)} (exit {process.ExitCode}): {Show((await error.ConfigureAwait(false)).Trim())}",
                _connection.ToString(), "Check --host/--port/--socket/--user and MYSQL_PWD or --defaults-extra-file.");
        }

        var line = text.Split('\n')[0].TrimEnd('\r');
        return line.Replace("\\n", "", StringComparison.Ordinal).Trim();
    }

    private static Process Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new BinlogArchiveException("ReplayToolsNotFound", ErrorKind.NotInstalled, $"Cannot start {file}: {ex.Message}", file,
                "Install the MariaDB or MySQL client tools, or use --output-dir.", ex);
        }
    }

    private static async Task<string> CaptureAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            // Keep the end: the client prints the failing statement first and the ERROR line last.
            text.Append(buffer, 0, n);
            if (text.Length > 2 * StderrLimit)
            {
                text.Remove(0, text.Length - StderrLimit);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The client's error lines only: it also echoes the failing statement, which holds row data that
    /// has no business in logs.
    /// </summary>
    private static string Show(string text)
    {
        var errors = text.Split('\n').Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).ToList();
        if (errors.Count > 0)
        {
            return string.Join(" ", errors);
        }

        text = text.Length > 2000 ? "..." + text[^2000..] : text;
        return text.Length == 0 ? "(no message)" : text.Replace('\n', ' ');
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
