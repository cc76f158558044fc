using System.CommandLine;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>keygen --out FILE</c>: a new random 32-byte master key, written with mode 0600, never overwriting.</summary>
public static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Required = true, Description = "Where to write the new key file (must not exist)." };
        var json = CommonOptions.Json();
        var command = new Command("keygen", "Create a new master key file (64 hex digits, mode 0600). " +
            "It also works as an `openssl enc -pass file:` passphrase for the legacy format. Prints the key id, never the key." +
            " Example: binlog-archive keygen --out /etc/binlog-archive/master.key")
        {
            output, json,
        };
        command.SetAction(parse =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                var path = Path.GetFullPath(parse.GetValue(output)!);
                using var key = KeyFile.Generate(path);
                if (console.Json)
                {
                    console.WriteJson(new KeygenResult(path, key.Id), CliJsonContext.Output.KeygenResult);
                }
                else
                {
                    console.Out.WriteLine($"{path}\t{key.Id}");
                }

                return ExitCodes.Success;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }
}
