using System.Management.Automation;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Test-BinlogArchive: the dry-run restore. Emits each archive's entry with Verified/VerifyError;
/// -PassThru forwards only valid archives (and reports invalid ones as errors); -Quiet returns one
/// bool; -Strict stops at the first invalid archive.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "BinlogArchive", DefaultParameterSetName = PathSet)]
[OutputType(typeof(BinlogArchiveEntry), typeof(bool))]
public sealed class TestBinlogArchiveCommand : KeyedBinlogPathCmdlet, IDisposable
{
    private MasterKeySet? _keys;
    private ArchiveVerifier? _verifier;
    private bool _allValid = true;

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _keys = LoadKeys();
            _verifier = new ArchiveVerifier(_keys?.Ring, _keys?.OpenSslPassphrase);
        }
        catch (BinlogArchiveException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var archive in ResolveInputPaths())
        {
            var result = _verifier!.Verify(archive);
            _allValid &= result.Valid;
            foreach (var gap in result.NotChecked)
            {
                WriteVerbose($"{archive}: not checked: {gap}");
            }

            if (!result.Valid)
            {
                var error = ErrorRecords.From(result.ErrorId ?? "VerifyFailed", ErrorKind.InvalidData, result.Error ?? "invalid archive", archive);
                if (Strict.IsPresent)
                {
                    ThrowTerminatingError(error);
                }

                if (PassThru.IsPresent)
                {
                    WriteError(error);
                    continue;
                }
            }

            if (!Quiet.IsPresent)
            {
                WriteObject(ToEntry(archive, result));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (Quiet.IsPresent)
        {
            WriteObject(_allValid);
        }

        Dispose();
    }

    public void Dispose() => _keys?.Dispose();

    private static BinlogArchiveEntry ToEntry(string archive, ArchiveVerification result)
    {
        var entry = result.Sidecar is { } sidecar
            ? BinlogArchiveEntry.FromSidecar(archive, sidecar, ArchiveOutcome.AlreadyArchived)
            : new BinlogArchiveEntry
            {
                FullName = archive,
                Name = System.IO.Path.GetFileName(archive),
                SidecarPath = Sidecar.PathFor(archive),
                SourceName = ArchiveNaming.SourceNameOf(System.IO.Path.GetFileName(archive)) ?? System.IO.Path.GetFileName(archive),
            };
        return entry with { Verified = result.Valid, VerifyError = result.Error, NotChecked = result.NotChecked };
    }
}
