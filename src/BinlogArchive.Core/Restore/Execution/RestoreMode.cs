namespace BinlogArchive.Core.Restore.Execution;

/// <summary>What <see cref="RestoreExecutor"/> does once the plan is made.</summary>
public enum RestoreMode
{
    /// <summary>Plan only (-WhatIf, --plan-only): nothing is fetched beyond what planning needs, nothing is written or applied.</summary>
    PlanOnly,

    /// <summary>Write the plan's binlogs (exactly the source bytes) and a replay.sh into a directory.</summary>
    OutputDirectory,

    /// <summary>Apply through one mysqlbinlog process piped into one mysql client session.</summary>
    Replay,
}
