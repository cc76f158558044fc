using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Core.Restore;

/// <summary>What the planner proved about the chain it chose, for the operator and the record.</summary>
/// <param name="Files">Files in the plan, in order.</param>
/// <param name="Servers">Servers that wrote them, in chain order (more than one only with a switchover).</param>
/// <param name="BackupGtids">The backup's GTID set (null when the coordinates had none).</param>
/// <param name="GtidsAtStart">The GTID state the first step starts from.</param>
/// <param name="GtidsAtStop">The GTID state after the last step.</param>
/// <param name="SequenceChecked">Consecutive sequence numbers were checked between same-server files.</param>
/// <param name="GtidContinuityChecked">previous(N+1) = previous(N) ∪ added(N) was checked (GTIDs on).</param>
/// <param name="Checks">One line per proven link, e.g. "mysql-bin.000002 follows mysql-bin.000001: ...".</param>
/// <param name="Overrides">Problems found and carried over because the options allowed it.</param>
public sealed record RestoreChainProof(
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Servers,
    GtidSet? BackupGtids,
    GtidSet GtidsAtStart,
    GtidSet GtidsAtStop,
    bool SequenceChecked,
    bool GtidContinuityChecked,
    IReadOnlyList<string> Checks,
    IReadOnlyList<string> Overrides);
