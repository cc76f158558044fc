using System.Collections.Concurrent;
using System.Management.Automation;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Core.Errors;
using BinlogArchive.Core.Restore;
using BinlogArchive.Core.Restore.Execution;

namespace BinlogArchive.Cmdlets;

/// <summary>
/// Restore-BinlogToPoint: plans from the base backup's coordinates to the target (time, GTID or
/// position), proves the chain, verifies every archive before anything is applied, then writes
/// plain binlogs and a replay script (-OutputDirectory) or replays through one mysqlbinlog|mysql
/// session (-Replay). -WhatIf / -PlanOnly return the plan and touch nothing.
/// </summary>
[Cmdlet(VerbsData.Restore, "BinlogToPoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RestorePlan), typeof(BinlogRestoreResult))]
public sealed class RestoreBinlogToPointCommand : PSCmdlet
{
    /// <summary>The store the archives were sent to (path, file://, s3://, azblob://).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    [Parameter]
    public string? Server { get; set; }

    [Parameter]
    public string? Tenant { get; set; }

    [Parameter]
    [ValidateCount(32, 32)]
    public byte[]? Key { get; set; }

    [Parameter]
    public string[]? KeyFile { get; set; }

    [Parameter]
    public SwitchParameter AllowInsecureKeyFile { get; set; }

    /// <summary>Backup directory with xtrabackup_binlog_info or mariadb_backup_binlog_info.</summary>
    [Parameter]
    public string? BaseBackup { get; set; }

    [Parameter]
    public string? FromGtid { get; set; }

    /// <summary>FILE:POS the backup ends at.</summary>
    [Parameter]
    public string? FromPosition { get; set; }

    /// <summary>ISO 8601; UTC unless it carries an offset or -TimeZone is given. Default: latest restorable.</summary>
    [Parameter]
    public string? RestoreTime { get; set; }

    /// <summary>IANA zone for a -RestoreTime written in local time (DST gaps and overlaps are refused).</summary>
    [Parameter]
    public string? TimeZone { get; set; }

    [Parameter]
    public string? StopGtid { get; set; }

    [Parameter]
    public string? StopBeforeGtid { get; set; }

    /// <summary>FILE:POS: every event that starts before POS in FILE is applied, as mysqlbinlog does.</summary>
    [Parameter]
    public string? StopPosition { get; set; }

    [Parameter]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public SwitchParameter Replay { get; set; }

    [Parameter]
    public string? TargetHost { get; set; }

    [Parameter]
    public int? Port { get; set; }

    [Parameter]
    public string? Socket { get; set; }

    [Parameter]
    public string? User { get; set; }

    [Parameter]
    public string? DefaultsExtraFile { get; set; }

    /// <summary>Read the target's executed GTIDs and apply only what is missing.</summary>
    [Parameter]
    public SwitchParameter Continue { get; set; }

    [Parameter]
    public SwitchParameter PlanOnly { get; set; }

    [Parameter]
    public SwitchParameter AllowGaps { get; set; }

    [Parameter]
    public SwitchParameter AllowServerSwitchover { get; set; }

    protected override void ProcessRecord()
    {
        MasterKeySet? keys = null;
        try
        {
            keys = CmdletKeys.Load(Key, KeyFile?.Select(GetUnresolvedProviderPathFromPSPath).ToArray(), AllowInsecureKeyFile.IsPresent, WriteWarning);
            if (keys.Ring.Count == 0)
            {
                throw new BinlogArchiveException("KeyRequired", ErrorKind.InvalidArgument, "Restore-BinlogToPoint needs the master key(s).",
                    recommendedAction: "Pass -Key or -KeyFile (several files for archives written before a rotation).");
            }

            var mode = Mode();
            var request = new RestoreRequest
            {
                Source = Source,
                Server = Server,
                Tenant = Tenant,
                Keys = keys.Ring,
                Coordinates = Coordinates(),
                Target = Target(),
                Options = RestoreOptions.Default with { AllowGaps = AllowGaps.IsPresent, AllowServerSwitchover = AllowServerSwitchover.IsPresent },
                Mode = mode,
                OutputDirectory = OutputDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(OutputDirectory),
                Connection = new ReplayConnection { Host = TargetHost, Port = Port, Socket = Socket, User = User, DefaultsExtraFile = DefaultsExtraFile },
                Continue = Continue.IsPresent,
            };
            var target = mode == RestoreMode.Replay ? request.Connection.ToString() : request.OutputDirectory ?? Source;
            if (mode != RestoreMode.PlanOnly && !ShouldProcess(target, $"Restore binlogs from {Source}"))
            {
                request = request with { Mode = RestoreMode.PlanOnly };
            }

            var log = new ConcurrentQueue<string>();
            var result = new RestoreExecutor(new SynchronousProgress<string>(log.Enqueue)).ExecuteAsync(request).GetAwaiter().GetResult();
            while (log.TryDequeue(out var line))
            {
                WriteVerbose(line);
            }

            foreach (var warning in result.Warnings)
            {
                WriteWarning(warning);
            }

            WriteObject(result.Mode == RestoreMode.PlanOnly ? result.Plan : result);
        }
        catch (BinlogArchiveException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, Source));
        }
        finally
        {
            keys?.Dispose();
        }
    }

    private RestoreMode Mode()
    {
        if (PlanOnly.IsPresent)
        {
            return RestoreMode.PlanOnly;
        }

        return (OutputDirectory, Replay.IsPresent) switch
        {
            (not null, false) => RestoreMode.OutputDirectory,
            (null, true) => RestoreMode.Replay,
            _ => throw new BinlogArchiveException("RestoreModeRequired", ErrorKind.InvalidArgument,
                "Choose exactly one of -OutputDirectory and -Replay (or -PlanOnly / -WhatIf).", Source),
        };
    }

    private BackupCoordinates? Coordinates()
    {
        var given = new[] { BaseBackup, FromGtid, FromPosition }.Count(v => v is not null);
        if (given > 1)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                "Give at most one of -BaseBackup, -FromGtid and -FromPosition.", Source);
        }

        return BaseBackup is not null ? BackupCoordinates.FromBackupDirectory(GetUnresolvedProviderPathFromPSPath(BaseBackup))
            : FromGtid is not null ? BackupCoordinates.ParseGtidSet(FromGtid)
            : FromPosition is not null ? BackupCoordinates.ParseFilePosition(FromPosition)
            : null;
    }

    private RestoreTarget Target()
    {
        var given = new[] { RestoreTime, StopGtid, StopBeforeGtid, StopPosition }.Count(v => v is not null);
        if (given > 1)
        {
            throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
                "Give at most one target: -RestoreTime, -StopGtid, -StopBeforeGtid or -StopPosition.", Source);
        }

        return RestoreTime is not null ? RestoreTarget.AtTime(RestoreTimeParser.Parse(RestoreTime, TimeZone))
            : StopGtid is not null ? RestoreTarget.StopAfterGtid(StopGtid)
            : StopBeforeGtid is not null ? RestoreTarget.StopBeforeGtid(StopBeforeGtid)
            : StopPosition is not null ? RestoreTarget.ParseStopPosition(StopPosition)
            : RestoreTarget.Latest;
    }
}
