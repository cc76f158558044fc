using System.Management.Automation;
using BinlogArchive.Core.Archiving;
using BinlogArchive.Core.Compression;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Protect-Binlog: compress and encrypt closed binlogs into &lt;binlog&gt;.zst.enc plus a signed
/// JSON sidecar. Idempotent; -WhatIf writes nothing.
/// </summary>
[Cmdlet(VerbsSecurity.Protect, "Binlog", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(BinlogArchiveEntry))]
public sealed class ProtectBinlogCommand : KeyedBinlogPathCmdlet, IDisposable
{
    private MasterKeySet? _keys;
    private BinlogProtector? _protector;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(1, 22)]
    public int CompressionLevel { get; set; } = ZstdCompressStream.DefaultLevel;

    [Parameter]
    [ValidateRange(1, 256)]
    public int? Workers { get; set; }

    [Parameter]
    [ValidateSet("blar1", "openssl-cbc")]
    public string Format { get; set; } = "blar1";

    [Parameter]
    [ValidateRange(BlarWriterOptions.MinChunkSize, BlarWriterOptions.MaxChunkSize)]
    public int ChunkSize { get; set; } = BlarWriterOptions.DefaultChunkSize;

    /// <summary>Encrypt under the master key directly instead of a per-archive wrapped data key.</summary>
    [Parameter]
    public SwitchParameter DirectKey { get; set; }

    /// <summary>Replace an existing archive that holds different content under the same name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Archive a binlog the reader reports damaged instead of refusing it.</summary>
    [Parameter]
    public SwitchParameter AllowDamagedSource { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _keys = LoadKeys() ?? throw new BinlogArchiveException("KeyRequired", ErrorKind.InvalidArgument,
                "Protect-Binlog needs a master key.", recommendedAction: "Pass -Key (e.g. Get-Secret) or -KeyFile (see New-BinlogArchiveKey).");
            _protector = new BinlogProtector(_keys.Ring, new ProtectOptions
            {
                OutputDirectory = GetUnresolvedProviderPathFromPSPath(OutputDirectory),
                CompressionLevel = CompressionLevel,
                Workers = Workers,
                ChunkSize = ChunkSize,
                KeyMode = DirectKey.IsPresent ? BlarKeyMode.Direct : BlarKeyMode.Envelope,
                Format = Format == "openssl-cbc" ? ArchiveWriteFormat.OpenSslCbc : ArchiveWriteFormat.Blar1,
                OpenSslPassphrase = _keys.OpenSslPassphrase,
                Force = Force.IsPresent,
                AllowDamagedSource = AllowDamagedSource.IsPresent,
                Progress = new SynchronousProgress<ProtectProgress>(ReportProgress),
            });
            foreach (var leftover in _protector.CleanLeftovers())
            {
                WriteVerbose($"Removed leftover of an interrupted run: {leftover}");
            }
        }
        catch (BinlogArchiveException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var source in ResolveInputPaths())
        {
            try
            {
                if (!ShouldProcess(source, $"Protect into {_protector!.ArchivePathFor(source)}"))
                {
                    continue;
                }

                var entry = _protector.Protect(source);
                WriteVerbose($"{entry.SourceName}: {entry.Outcome}, {entry.SourceSize} -> {entry.ArchiveSize} bytes, {entry.MegabytesPerSecond:F1} MB/s");
                WriteObject(entry);
            }
            catch (BinlogArchiveException ex)
            {
                WriteError(ErrorRecords.From(ex, source));
            }
        }
    }

    protected override void EndProcessing() => Dispose();

    public void Dispose() => _keys?.Dispose();

    private void ReportProgress(ProtectProgress p)
    {
        var percent = p.TotalBytes > 0 ? (int)Math.Min(100, p.BytesRead * 100 / p.TotalBytes) : -1;
        WriteProgress(new ProgressRecord(1, "Protect-Binlog", $"{p.SourceName}: {p.BytesRead / 1048576} of {p.TotalBytes / 1048576} MiB")
        {
            PercentComplete = percent,
        });
    }
}
