using System.Management.Automation;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Catalog;

namespace BinlogArchive.Cmdlets;

/// <summary>Update-BinlogCatalog -Rebuild: rewrites a server's catalog from the sidecars in the store.</summary>
[Cmdlet(VerbsData.Update, "BinlogCatalog", SupportsShouldProcess = true)]
[OutputType(typeof(CatalogReport))]
public sealed class UpdateBinlogCatalogCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = string.Empty;

    [Parameter]
    public string? Tenant { get; set; }

    /// <summary>Rebuild from the sidecars (the only update there is; required so the intent is explicit).</summary>
    [Parameter(Mandatory = true)]
    public SwitchParameter Rebuild { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var store = ArchiveStoreFactory.Open(Source, StoreOptions.Default);
            if (!ShouldProcess(store.UriFor(ArchiveCatalog.KeyFor(Tenant, Server)), "Rebuild the catalog from the sidecars"))
            {
                return;
            }

            var document = new ArchiveCatalog(store).RebuildAsync(Tenant, Server).GetAwaiter().GetResult();
            WriteObject(ArchiveCatalog.Report(Tenant, document));
        }
        catch (BinlogArchiveException ex)
        {
            WriteError(ErrorRecords.From(ex, Source));
        }
    }
}
