using System.CommandLine;
using System.Globalization;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>send --destination URI ARCHIVE...</c>: upload archives and sidecars, confirm durability, update the catalog.</summary>
public static class SendCommand
{
    public static Command Create()
    {
        var destination = new Option<string>("--destination") { Required = true, Description = "Path, file://, s3://bucket/prefix or azblob://account/container/prefix (query: endpoint=, region=, path_style=true)." };
        var server = new Option<string?>("--server") { Description = "Server folder name (default: the sidecar's server UUID, else host-server_id)." };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant prefix that isolates tenants sharing a destination." };
        var force = new Option<bool>("--force") { Description = "Replace a stored archive of the same name but different content." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check everything (sidecar, archive hash, destination reachable) and write nothing." };
        var archives = new Argument<string[]>("ARCHIVE") { Arity = ArgumentArity.OneOrMore, Description = "Archives (<binlog>.zst.enc) with their .json sidecars beside them." };
        var storeOptions = new StoreCommandOptions();
        var json = CommonOptions.Json();
        var command = new Command("send", "Upload archives and their sidecars; report each only once it is durable. " +
            "Same content already stored is a no-op; different content under the same name fails unless --force. " +
            "Credentials come from the environment (AWS SDK chain; AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or Entra ID)." +
            " Example: binlog-archive send --destination s3://backups/prod-db-1 /backup/stage/*.zst.enc")
        {
            destination, server, tenant, force, dryRun, json, archives,
        };
        storeOptions.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole(parse.GetValue(json));
            IArchiveStore store;
            try
            {
                store = ArchiveStoreFactory.Open(parse.GetValue(destination)!, storeOptions.Read(parse));
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }

            using (store)
            {
                var sender = new BinlogSender(store);
                var options = new SendOptions
                {
                    Server = parse.GetValue(server),
                    Tenant = parse.GetValue(tenant),
                    Force = parse.GetValue(force),
                    DryRun = parse.GetValue(dryRun),
                };
                var results = new List<StoredBinlogArchive>();
                var failed = 0;
                foreach (var archive in parse.GetValue(archives)!)
                {
                    try
                    {
                        var result = await sender.SendAsync(archive, options, cancellationToken).ConfigureAwait(false);
                        results.Add(result);
                        if (!console.Json)
                        {
                            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"{result.Outcome}\t{result.Uri}\t{result.Bytes}\t{result.Duration.TotalSeconds:F2}s"));
                        }

                        foreach (var item in result.NotChecked ?? [])
                        {
                            console.Info($"dry run: not checked: {item}");
                        }
                    }
                    catch (BinlogArchiveException ex)
                    {
                        failed++;
                        console.Error(ex.ErrorId, ex.Message, ex.RecommendedAction);
                        if (ex.Kind == ErrorKind.InvalidArgument)
                        {
                            return ExitCodes.BadUsage;
                        }
                    }
                }

                if (console.Json)
                {
                    console.WriteJson(results, CliJsonContext.Output.ListStoredBinlogArchive);
                }

                return failed > 0 ? ExitCodes.ItemFailed : ExitCodes.Success;
            }
        });
        return command;
    }
}
