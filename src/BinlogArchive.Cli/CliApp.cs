using System.CommandLine;
using BinlogArchive.Cli.Commands;

namespace BinlogArchive.Cli;

/// <summary>The <c>binlog-archive</c> command line: thin adapters over the engine (ARCHITECTURE.md §8).</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error [BadUsage]: {error.Message}");
            }

            Console.Error.WriteLine("Run 'binlog-archive --help' or 'binlog-archive <command> --help' for usage.");
            return ExitCodes.BadUsage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug or an environment failure no command anticipated: say what and where,
            // without a wall of stack trace, and fail the run.
            Console.Error.WriteLine($"error [Unexpected]: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine("  what to do: set BINLOG_ARCHIVE_DEBUG=1 for the stack trace and report it.");
            if (Environment.GetEnvironmentVariable("BINLOG_ARCHIVE_DEBUG") == "1")
            {
                Console.Error.WriteLine(ex);
            }

            return ExitCodes.ItemFailed;
        }
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("binlog-archive: archive MySQL/MariaDB binary logs as compressed, encrypted, verifiable " +
            "archives, and restore to a point in time. Exit codes: 0 success, 1 an item failed, 2 bad usage.")
        {
            InspectCommand.Create(),
            ClosedCommand.Create(),
            KeygenCommand.Create(),
            ProtectCommand.Create(),
            VerifyCommand.Create(),
            SendCommand.Create(),
            ListCommand.Create(),
            RunCommand.Create(),
            RestoreCommand.Create(),
        };
        return root;
    }
}
