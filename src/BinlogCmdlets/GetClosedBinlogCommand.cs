using System.Management.Automation;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Get-ClosedBinlog: the binlogs a server will not write again, oldest first. Holds the advisory
/// lock of each binlog directory until the pipeline ends, so a concurrent run cannot hand the
/// same files on while downstream stages protect and send them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClosedBinlog", DefaultParameterSetName = PathSet)]
[OutputType(typeof(BinlogFile))]
public sealed class GetClosedBinlogCommand : BinlogPathCmdlet, IDisposable
{
    private readonly List<AdvisoryLock> _locks = [];

    /// <summary>The binlog index file, when the directory holds several or it lives elsewhere.</summary>
    [Parameter]
    public string? IndexPath { get; set; }

    /// <summary>Read only the head of each file (no last event time, added GTIDs or counts).</summary>
    [Parameter]
    public SwitchParameter Quick { get; set; }

    [Parameter]
    public string? StateDirectory { get; set; }

    [Parameter]
    [ValidateRange(0, 86400)]
    public int LockTimeoutSeconds { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var directory in ResolveInputPaths())
        {
            try
            {
                FindIn(directory);
            }
            catch (BinlogArchiveException ex)
            {
                WriteError(ErrorRecords.From(ex, directory));
            }
        }
    }

    protected override void EndProcessing() => Dispose();

    protected override void StopProcessing() => Dispose();

    public void Dispose()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }

        _locks.Clear();
    }

    private void FindIn(string directory)
    {
        var lockPath = AdvisoryLock.LockPathFor(StateDirectory ?? Core.Discovery.StateDirectory.Default, directory);
        WriteVerbose($"Taking lock {lockPath}");
        _locks.Add(AdvisoryLock.Acquire(lockPath, TimeSpan.FromSeconds(LockTimeoutSeconds)));

        var finder = new ClosedBinlogFinder(new DiscoveryOptions { IndexPath = IndexPath, FullScan = !Quick.IsPresent });
        var scan = finder.Find(directory);
        foreach (var issue in scan.Issues)
        {
            if (issue.Severity == DiscoverySeverity.Error)
            {
                WriteError(ErrorRecords.From(issue.ErrorId, ErrorKind.ObjectNotFound, issue.Message, issue.Target));
            }
            else
            {
                WriteWarning(issue.Message);
            }
        }

        if (scan.ActiveFile is not null)
        {
            WriteVerbose($"Skipping the active binlog {scan.ActiveFile}");
        }

        foreach (var file in scan.Closed)
        {
            WriteObject(file);
        }
    }
}
