using System.Management.Automation;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cmdlets;

/// <summary>New-BinlogArchiveKey: a new random master key file (mode 0600, never overwriting). Emits its id, never the key.</summary>
[Cmdlet(VerbsCommon.New, "BinlogArchiveKey", SupportsShouldProcess = true)]
[OutputType(typeof(KeyFileInfo))]
public sealed class NewBinlogArchiveKeyCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, "Create master key file"))
        {
            return;
        }

        try
        {
            using var key = KeyFile.Generate(path);
            WriteObject(new KeyFileInfo(path, key.Id));
        }
        catch (BinlogArchiveException ex)
        {
            WriteError(ErrorRecords.From(ex, path));
        }
    }
}
