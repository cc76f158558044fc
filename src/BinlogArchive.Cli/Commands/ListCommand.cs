using System.CommandLine;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;

namespace BinlogArchive.Cli.Commands;

/// <summary><c>list --source URI [--server ID] [--rebuild]</c>: the catalog, sequence gaps, GTID chain breaks, latest restorable time.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Required = true, Description = "The destination that send wrote to." };
        var server = new Option<string?>("--server") { Description = "Server folder (default: every server that has a catalog)." };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant prefix." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Rewrite the catalog from the sidecars in the store first (needs --server)." };
        var storeOptions = new StoreCommandOptions();
        var json = CommonOptions.Json();
        var command = new Command("list", "Show what a destination holds per server: files by sequence, missing sequences, GTID chain breaks " +
            "and the latest time a restore can reach. Exit 1 when there is a gap or a chain break." +
            " Example: binlog-archive list --source s3://backups/prod-db-1 --json")
        {
            source, server, tenant, rebuild, json,
        };
        storeOptions.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole(parse.GetValue(json));
            try
            {
                using var store = ArchiveStoreFactory.Open(parse.GetValue(source)!, storeOptions.Read(parse));
                var catalog = new ArchiveCatalog(store);
                var tenantName = parse.GetValue(tenant);
                var serverName = parse.GetValue(server);
                if (parse.GetValue(rebuild) && serverName is null)
                {
                    console.Error("BadUsage", "--rebuild needs --server: the server folder whose sidecars to read.");
                    return ExitCodes.BadUsage;
                }

                var servers = serverName is not null ? [serverName] : await catalog.ListServersAsync(tenantName, cancellationToken).ConfigureAwait(false);
                var reports = new List<CatalogReport>();
                foreach (var name in servers)
                {
                    CatalogDocument document;
                    if (parse.GetValue(rebuild))
                    {
                        document = await catalog.RebuildAsync(tenantName, name, cancellationToken).ConfigureAwait(false);
                    }
                    else if (await catalog.ReadAsync(tenantName, name, cancellationToken).ConfigureAwait(false) is { } read)
                    {
                        document = read.Document;
                    }
                    else
                    {
                        throw new BinlogArchiveException("CatalogMissing", ErrorKind.ObjectNotFound,
                            $"{store.UriFor(ArchiveCatalog.KeyFor(tenantName, name))}: no catalog for server '{name}'.",
                            store.UriFor(ArchiveCatalog.KeyFor(tenantName, name)), "Check --server, or rebuild it with --rebuild.");
                    }

                    reports.Add(ArchiveCatalog.Report(tenantName, document));
                }

                if (console.Json)
                {
                    console.WriteJson(reports, CliJsonContext.Output.ListCatalogReport);
                }
                else
                {
                    foreach (var report in reports)
                    {
                        console.Out.WriteLine($"# {report.Server}: {report.Files.Count} files, latest restorable time {report.LatestRestorableTime ?? "-"}");
                        foreach (var file in report.Files)
                        {
                            console.Out.WriteLine(ArchiveCatalog.Describe(file));
                        }
                    }
                }

                foreach (var report in reports)
                {
                    if (report.MissingSequences.Count > 0)
                    {
                        console.Error("SequenceGap", $"{report.Server}: missing sequence numbers {string.Join(", ", report.MissingSequences)}.");
                    }

                    foreach (var b in report.ChainBreaks)
                    {
                        console.Error("GtidChainBreak", $"{report.Server}: {b.File} starts at GTIDs '{b.Actual}', but the previous file ends at '{b.Expected}'.");
                    }
                }

                return reports.Any(r => r.HasProblems) ? ExitCodes.ItemFailed : ExitCodes.Success;
            }
            catch (BinlogArchiveException ex)
            {
                return console.Fail(ex);
            }
        });
        return command;
    }
}
