using System.Management.Automation;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Storage;
using BinlogArchive.Core.Storage.Sending;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Send-BinlogArchive: uploads archives and sidecars, confirms durability (size and SHA-256 read
/// back), records them in the server's catalog. Same content already stored is a no-op. -WhatIf
/// uploads nothing; -Shadow checks everything and reports what it would store.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "BinlogArchive", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(StoredBinlogArchive))]
public sealed class SendBinlogArchiveCommand : BinlogPathCmdlet, IDisposable
{
    private IArchiveStore? _store;
    private BinlogSender? _sender;

    /// <summary>Plain path, file://, s3://bucket/prefix or azblob://account/container/prefix.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    [Parameter]
    public string? Server { get; set; }

    [Parameter]
    public string? Tenant { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Validate everything and report what would be stored, writing nothing.</summary>
    [Parameter]
    public SwitchParameter Shadow { get; set; }

    [Parameter]
    public string? StateDirectory { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _store = ArchiveStoreFactory.Open(Destination, StoreOptions.Default with
            {
                StateDirectory = StateDirectory ?? Core.Discovery.StateDirectory.Default,
            });
            _sender = new BinlogSender(_store);
        }
        catch (BinlogArchiveException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, Destination));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var archive in ResolveInputPaths())
        {
            if (!Shadow.IsPresent && !ShouldProcess(archive, $"Upload to {Destination}"))
            {
                continue;
            }

            try
            {
                var options = new SendOptions { Server = Server, Tenant = Tenant, Force = Force.IsPresent, DryRun = Shadow.IsPresent };
                var stored = _sender!.SendAsync(archive, options).GetAwaiter().GetResult();
                WriteVerbose($"{stored.SourceName}: {stored.Outcome} at {stored.Uri} ({stored.Bytes} bytes, {stored.Duration.TotalSeconds:F2}s)");
                WriteObject(stored);
            }
            catch (BinlogArchiveException ex)
            {
                WriteError(ErrorRecords.From(ex, archive));
            }
        }
    }

    protected override void EndProcessing() => Dispose();

    public void Dispose()
    {
        _store?.Dispose();
        _store = null;
    }
}
