using System.CommandLine;
using BinlogArchive.Core.Crypto;

namespace BinlogArchive.Cli;

/// <summary>The key-source options, spelled once for every command that needs a key.</summary>
public sealed class KeyOptions
{
    public Option<string[]> KeyFile { get; } = new("--key-file")
    {
        Description = "Master key file (32 raw bytes, or 64 hex / base64 text; mode 0600). Repeat to add older keys after a rotation; the first is current. '-' reads stdin.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> KeyFd { get; } = new("--key-fd")
    {
        Description = "Read the master key from this open file descriptor (e.g. from a secret manager).",
    };

    public Option<bool> AllowInsecureKeyFile { get; } = new("--allow-insecure-key-file")
    {
        Description = "Accept a key file that group or others can read (a warning is still printed).",
    };

    public void AddTo(Command command)
    {
        command.Add(KeyFile);
        command.Add(KeyFd);
        command.Add(AllowInsecureKeyFile);
    }

    public MasterKeySet? Load(ParseResult parse, CliConsole console) =>
        KeyMaterial.Load(parse.GetValue(KeyFile), parse.GetValue(KeyFd), parse.GetValue(AllowInsecureKeyFile), console);
}
