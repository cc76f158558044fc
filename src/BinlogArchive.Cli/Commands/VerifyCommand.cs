using System.CommandLine;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>verify [--key-file K] ARCHIVE...</c>: the dry-run restore; exit 0 only if every archive is valid.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var archives = new Argument<string[]>("ARCHIVE") { Arity = ArgumentArity.OneOrMore, Description = "Archives (.zst.enc, legacy .zst.openssl.enc / openssl-enc / .zst)." };
        var json = CommonOptions.Json();
        var keys = new KeyOptions();
        var command = new Command("verify", "Decrypt and decompress each archive without writing anything: every chunk authenticated, " +
            "stream complete, hashes and sidecar MAC checked. Without a key, checks structure and the archive hash and says what it could not check." +
            " Example: binlog-archive verify --key-file /etc/binlog-archive/master.key /backup/stage/*.zst.enc")
        {
            archives, json,
        };
        keys.AddTo(command);
        command.SetAction(parse =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                using var material = keys.Load(parse, console);
                var verifier = new ArchiveVerifier(material?.Ring, material?.OpenSslPassphrase);
                var results = parse.GetValue(archives)!.Select(a => verifier.Verify(a)).ToList();
                Report(console, results);
                return results.All(r => r.Valid) ? ExitCodes.Success : ExitCodes.ItemFailed;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }

    private static void Report(CliConsole console, List<ArchiveVerification> results)
    {
        foreach (var r in results)
        {
            if (!r.Valid)
            {
                console.Error(r.ErrorId ?? "VerifyFailed", r.Error ?? "invalid");
            }
            else if (r.NotChecked.Count > 0)
            {
                console.Warning("NotFullyVerified", $"{r.ArchivePath}: not checked: {string.Join("; ", r.NotChecked)}");
            }
        }

        if (console.Json)
        {
            console.WriteJson(results.Select(r => r with { Sidecar = null }).ToList(), CliJsonContext.Output.ListArchiveVerification);
            return;
        }

        foreach (var r in results)
        {
            console.Out.WriteLine($"{(r.Valid ? "valid" : "INVALID")}\t{r.ArchivePath}");
        }
    }
}
