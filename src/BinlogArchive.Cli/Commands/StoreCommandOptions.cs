using System.CommandLine;
using BinlogArchive.Core.Storage;

namespace BinlogArchive.Cli.Commands;

/// <summary>Upload tuning shared by send and run; defaults suit production.</summary>
public sealed class StoreCommandOptions
{
    public Option<string?> StateDir { get; } = CommonOptions.StateDirectory();

    public Option<long?> MultipartThreshold { get; } = new("--multipart-threshold")
    {
        Description = "Upload files of at least this many bytes in parts (default 104857600 = 100 MiB).",
    };

    public Option<long?> PartSize { get; } = new("--part-size")
    {
        Description = "Bytes per part or block (default 8388608 = 8 MiB; S3 needs at least 5 MiB).",
    };

    public Option<int?> MaxAttempts { get; } = new("--max-attempts")
    {
        Description = "Tries per request on throttling, 5xx and network errors, with jittered exponential backoff (default 8).",
    };

    public void AddTo(Command command)
    {
        command.Add(StateDir);
        command.Add(MultipartThreshold);
        command.Add(PartSize);
        command.Add(MaxAttempts);
    }

    public StoreOptions Read(ParseResult parse)
    {
        var options = StoreOptions.Default;
        if (parse.GetValue(StateDir) is { } dir)
        {
            options = options with { StateDirectory = dir };
        }

        if (parse.GetValue(MultipartThreshold) is { } threshold)
        {
            options = options with { MultipartThreshold = threshold };
        }

        if (parse.GetValue(PartSize) is { } part)
        {
            options = options with { PartSize = part };
        }

        if (parse.GetValue(MaxAttempts) is { } attempts)
        {
            options = options with { Retry = options.Retry with { MaxAttempts = Math.Max(1, attempts) } };
        }

        return options;
    }
}
