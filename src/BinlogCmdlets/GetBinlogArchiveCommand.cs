using System.Management.Automation;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Get-BinlogArchive: what a store holds per server, read from its catalog: the archived files,
/// gaps in the sequence, breaks in the GTID chain, and the latest restorable time.
/// </summary>
[Cmdlet(VerbsCommon.Get, "BinlogArchive")]
[OutputType(typeof(CatalogReport))]
public sealed class GetBinlogArchiveCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    /// <summary>One server's folder; every server with a catalog when omitted.</summary>
    [Parameter]
    public string? Server { get; set; }

    [Parameter]
    public string? Tenant { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var store = ArchiveStoreFactory.Open(Source, StoreOptions.Default);
            var catalog = new ArchiveCatalog(store);
            var servers = Server is not null ? [Server] : catalog.ListServersAsync(Tenant).GetAwaiter().GetResult();
            foreach (var server in servers)
            {
                var read = catalog.ReadAsync(Tenant, server).GetAwaiter().GetResult();
                if (read is null)
                {
                    WriteError(ErrorRecords.From("CatalogMissing", ErrorKind.ObjectNotFound,
                        $"{store.UriFor(ArchiveCatalog.KeyFor(Tenant, server))} does not exist; rebuild it with Update-BinlogCatalog.", server));
                    continue;
                }

                var report = ArchiveCatalog.Report(Tenant, read.Value.Document);
                if (report.HasProblems)
                {
                    WriteWarning($"{server}: missing sequences {string.Join(", ", report.MissingSequences)}; {report.ChainBreaks.Count} GTID chain break(s).");
                }

                WriteObject(report);
            }
        }
        catch (BinlogArchiveException ex)
        {
            WriteError(ErrorRecords.From(ex, Source));
        }
    }
}
