using System.Globalization;
using BinlogArchive.Core.Binlog;
using BinlogArchive.Core.Discovery;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Restore;

/// <summary>
/// Chooses the archives and cut points for a point-in-time restore (the "select" and "validate"
/// stages of dbatools' discover → select → validate → execute). Pure: it reads only its inputs, and
/// asks <c>transactionsOf</c> for a file's transactions only where a cut inside that file must be
/// computed (the stop file(s) of a time, GTID or position target; the first file when the backup
/// is given as a GTID set that ends inside it; the first file after a server switchover that
/// starts inside it).
/// <para><b>Start.</b> With a file+position, replay starts at that position of that file (not at 4), so
/// nothing the backup holds is applied twice; a position equal to the archived end of the file
/// starts at the next file. With a GTID set only, the start file is the one whose previous set is
/// inside the backup's set while its added set is not, and the start position is the first
/// transaction the backup does not hold (every later transaction of the file must also be missing
/// from the backup, else the backup is not a prefix of the binlog: RestoreChainFork).</para>
/// <para><b>Chain proof.</b> Between consecutive files of one server: sequence N+1 follows N
/// (RestoreChainGap names the missing files), no two different archives share a sequence
/// (RestoreChainOverlap), and with GTIDs on, previous(N+1) = previous(N) ∪ added(N): GTIDs in N+1's
/// previous set but not in the chain are a gap (RestoreChainGap names the GTID range), GTIDs in the
/// chain that N+1's server does not know are a fork (RestoreChainFork), and added(N+1) ∩ executed(N)
/// is an overlap. The backup's set must contain previous(start) and be contained in executed(start).
/// When a server's archived files end, the chain continues on another server only if a file of it
/// satisfies previous ⊆ executed ⊆ previous ∪ added (it carries on exactly from there): that is a
/// switchover, refused with RestoreServerChanged unless <see cref="RestoreOptions.AllowServerSwitchover"/>.
/// Checks run lazily up to the target, so a gap after the target does not block the restore.</para>
/// <para><b>Time targets.</b> A transaction's commit time comes from the reader: MySQL 8.0+ GTID events
/// carry immediate_commit_timestamp in microseconds (exact); MariaDB (and MySQL before 8.0) record
/// whole seconds. A microsecond transaction is applied when commit ≤ T. A whole-second transaction
/// recorded in second s really committed somewhere in [s, s+1):
/// <list type="bullet">
/// <item>s + 1 ≤ T: applied (it certainly committed at or before T);</item>
/// <item>s ≥ T: not applied (it committed at or after T; a T exactly on a second boundary is the
/// instant s.000000, so transactions recorded in that second are after it, as with mysqlbinlog
/// --stop-datetime);</item>
/// <item>s &lt; T &lt; s + 1 (T has a fraction inside second s): <b>ambiguous</b>. The plan stops before
/// second s (none of the transactions recorded in s is applied) and reports
/// <see cref="RestorePlan.Ambiguity"/>: the second, every transaction recorded in it with its GTID
/// and positions, the boundary chosen, and the advice to use a GTID or position target for an
/// exact cut.</item>
/// </list>
/// The replay is a prefix of the binlog, so it stops at the first transaction (in binlog order) not
/// applied by these rules; a later transaction with an earlier commit time is then left out too, with
/// a warning. The stop position is the end of the last applied transaction. A time before the
/// start of the backup's file, or before a transaction the backup already holds, is
/// RestoreTargetBeforeBackup; a time after the last archived event is RestoreTargetBeyondArchive
/// (the server may have committed more since).</para>
/// <para><b>GTID targets</b> stop at the end of the transaction carrying the GTID (stop after) or at the end
/// of the transaction before it (stop before), in binlog order. <b>Position targets</b> apply every event
/// that starts before the position, as mysqlbinlog --stop-position; a position inside a transaction is
/// refused (RestoreStopPositionInsideTransaction) so no partial transaction is replayed.</para>
/// </summary>
public sealed class RestorePlanner
{
    private readonly List<ArchivedBinlog> _archives;
    private readonly BackupCoordinates _backup;
    private readonly RestoreTarget _target;
    private readonly RestoreOptions _options;
    private readonly Func<ArchivedBinlog, IEnumerable<BinlogTransaction>> _transactionsOf;
    private readonly Dictionary<ArchivedBinlog, IReadOnlyList<BinlogTransaction>> _scanned = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ArchivedBinlog> _conflicted = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _warnings = [];
    private readonly List<string> _checks = [];
    private readonly List<string> _overrides = [];
    private readonly BinlogFlavor _flavor;
    private readonly bool _gtidsOn;

    private RestorePlanner(IEnumerable<ArchivedBinlog> archives, BackupCoordinates backup, RestoreTarget target,
        RestoreOptions options, Func<ArchivedBinlog, IEnumerable<BinlogTransaction>> transactionsOf)
    {
        _backup = backup;
        _target = target;
        _options = options;
        _transactionsOf = transactionsOf;
        _archives = Select(archives);
        _flavor = _archives[0].Flavor;
        _gtidsOn = backup.HasGtids || _archives.Any(a => !a.PreviousGtids.IsEmpty || !a.AddedGtids.IsEmpty);
        if (backup.Gtids is { IsEmpty: false } b && _archives.Any(a => a.Flavor != BinlogFlavor.Unknown) && b.Flavor != _flavor)
        {
            throw new BinlogArchiveException("RestoreFlavorMismatch", ErrorKind.InvalidArgument,
                $"The backup's GTID set '{b}' is in {b.Flavor} notation but the archives were written by {_flavor}.",
                backup.Source, "Check that the backup and the archive source belong to the same server.");
        }
    }

    /// <summary>Plans a restore; see the type's remarks for the exact semantics.</summary>
    /// <param name="archives">Every archive of the source (any order; the planner selects).</param>
    /// <param name="coordinates">The base backup's binlog coordinates.</param>
    /// <param name="target">Where to stop.</param>
    /// <param name="options">Overrides and filters; null for the defaults.</param>
    /// <param name="transactionsOf">All transactions of one archived file, in file order (the executor decrypts and scans; tests pass lists).</param>
    /// <exception cref="BinlogArchiveException">A stable ErrorId naming what is missing and what to do.</exception>
    public static RestorePlan Plan(IEnumerable<ArchivedBinlog> archives, BackupCoordinates coordinates, RestoreTarget target,
        RestoreOptions? options, Func<ArchivedBinlog, IEnumerable<BinlogTransaction>> transactionsOf)
    {
        ArgumentNullException.ThrowIfNull(archives);
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(transactionsOf);
        return new RestorePlanner(archives, coordinates, target, options ?? RestoreOptions.Default, transactionsOf).Build();
    }

    // ---- select: filter, de-duplicate, one flavor --------------------------------------------------------

    private List<ArchivedBinlog> Select(IEnumerable<ArchivedBinlog> archives)
    {
        var all = archives.ToList();
        var selected = all.Where(a =>
                (_options.ServerId is not { } id || a.ServerId == id)
                && (_options.ServerUuid is not { } uuid || string.Equals(a.ServerUuid, uuid, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (selected.Count == 0)
        {
            var filter = _options.ServerId != null || _options.ServerUuid != null
                ? $" from the requested server ({_options.ServerId?.ToString(CultureInfo.InvariantCulture) ?? _options.ServerUuid}); the source holds {all.Count} archive(s) of {string.Join(", ", all.Select(a => a.Server.ToString()).Distinct())}"
                : "";
            throw new BinlogArchiveException("RestoreNoArchives", ErrorKind.ObjectNotFound,
                $"No archived binlogs to restore from{filter}.", null,
                "Check the source URI and server filter; run binlog-archive list to see what is archived.");
        }

        var flavors = selected.Select(a => a.Flavor).Where(f => f != BinlogFlavor.Unknown).Distinct().ToList();
        if (flavors.Count > 1)
        {
            throw new BinlogArchiveException("RestoreFlavorMismatch", ErrorKind.InvalidData,
                "The archives mix MySQL and MariaDB binlogs; one restore replays one server's history.", null,
                "Filter by server (--server / -ServerId) so that only one server's archives are considered.");
        }

        // Same server, same file: identical copies (uploaded twice) collapse to one; different contents conflict.
        var result = new List<ArchivedBinlog>();
        foreach (var group in selected.GroupBy(a => (a.Server, a.Name)))
        {
            var distinct = new List<ArchivedBinlog>();
            foreach (var a in group.OrderBy(a => a.ArchiveKey, StringComparer.Ordinal))
            {
                if (distinct.Any(d => SameContent(d, a)))
                {
                    _checks.Add($"{a.Name}: identical copy {a.ArchiveKey} ignored");
                }
                else
                {
                    distinct.Add(a);
                }
            }

            if (distinct.Count > 1)
            {
                _conflicted.UnionWith(distinct);
            }

            result.AddRange(distinct);
        }

        return result;
    }

    private static bool SameContent(ArchivedBinlog a, ArchivedBinlog b) =>
        a.Name == b.Name && a.Sequence == b.Sequence && a.Server == b.Server && a.StartPosition == b.StartPosition
        && a.EndPosition == b.EndPosition && a.FirstEventAt == b.FirstEventAt && a.LastEventAt == b.LastEventAt
        && SameSet(a.PreviousGtids, b.PreviousGtids) && SameSet(a.AddedGtids, b.AddedGtids);

    // ---- the chain ------------------------------------------------------------------------------------------

    private sealed record ChainLink(ArchivedBinlog Archive, long Start, bool Switchover);

    private ChainLink? FindStart()
    {
        if (_backup.File is { } file)
        {
            return StartAtFile(file, _backup.Position);
        }

        if (_backup.Gtids is { IsEmpty: false } gtids)
        {
            return StartAtGtids(gtids);
        }

        throw new BinlogArchiveException("RestoreArgumentInvalid", ErrorKind.InvalidArgument,
            "The base backup's coordinates are empty: neither a binlog file+position nor a GTID set.", _backup.Source,
            "Give --base-backup DIR (with xtrabackup_binlog_info or mariadb_backup_binlog_info), --from FILE:POS or --from-gtid SET.");
    }

    private ChainLink StartAtFile(string file, long? position)
    {
        var candidates = _archives.Where(a => a.Name == file).ToList();
        if (candidates.Count == 0)
        {
            throw BackupFileNotArchived(file);
        }

        if (candidates.Count > 1 && _backup.Gtids is { IsEmpty: false } b)
        {
            var consistent = candidates.Where(a => a.PreviousGtids.IsSubsetOf(b) && b.IsSubsetOf(a.ExecutedGtids)).ToList();
            if (consistent.Count > 0)
            {
                candidates = consistent;
            }
        }

        if (candidates.Count > 1)
        {
            throw new BinlogArchiveException("RestoreChainOverlap", ErrorKind.InvalidData,
                $"The backup's file {file} is archived {candidates.Count} times with different contents ({Describe(candidates)}); the planner cannot tell which one the backup saw.",
                file, "Filter by server (--server / -ServerId / -ServerUuid), or remove the wrong archive from the store after checking it with binlog-archive verify.");
        }

        var start = candidates[0];
        long pos = Math.Max(position ?? start.StartPosition, start.StartPosition);
        if (pos > start.EndPosition)
        {
            throw new BinlogArchiveException("RestoreBackupNotInArchive", ErrorKind.ObjectNotFound,
                $"The backup's position {file}:{pos} is beyond the archived end of {file} ({start.EndPosition}): the archive holds a shorter copy of the file than the server had when the backup was taken.",
                file, $"Archive the complete {file} (it must be closed: FLUSH BINARY LOGS, then run binlog-archive run again).");
        }

        if (_backup.Gtids is { IsEmpty: false } gtids)
        {
            var lacking = start.PreviousGtids.Subtract(gtids);
            if (!lacking.IsEmpty)
            {
                throw Fork(file, $"The backup's GTID set '{gtids}' lacks {lacking}, which the server had already executed before {file} began: the backup and this binlog history diverge.",
                    "Check that the backup was taken from this server (or a replica of it) and that the coordinates belong to it.");
            }

            var beyond = gtids.Subtract(start.ExecutedGtids);
            if (!beyond.IsEmpty)
            {
                throw Fork(file, $"The backup's GTID set holds {beyond}, which is not in {file} or before it although the backup says it stopped inside {file}: the backup and this binlog history diverge.",
                    "Check that the backup was taken from this server, or give its coordinates explicitly with --from FILE:POS.");
            }

            _checks.Add($"backup GTID set {gtids} lies between the previous set of {file} ({start.PreviousGtids}) and its executed set ({start.ExecutedGtids})");
        }

        RequireUnconflicted(start, null);
        _checks.Add(string.Create(CultureInfo.InvariantCulture, $"backup position {file}:{pos} is inside the archived {file} ({start.StartPosition}..{start.EndPosition})"));
        return new ChainLink(start, pos, false);
    }

    private ChainLink? StartAtGtids(GtidSet backup)
    {
        var candidates = _archives.Where(a => a.PreviousGtids.IsSubsetOf(backup) && !a.AddedGtids.IsSubsetOf(backup)).ToList();
        if (candidates.Count == 0)
        {
            if (_archives.All(a => a.ExecutedGtids.IsSubsetOf(backup)))
            {
                return null;
            }

            var first = _archives.Where(a => !a.AddedGtids.IsSubsetOf(backup))
                .OrderBy(a => a.FirstEventAt ?? DateTimeOffset.MinValue).ThenBy(a => a.Sequence).First();
            var missing = first.PreviousGtids.Subtract(backup);
            throw new BinlogArchiveException("RestoreBackupNotInArchive", ErrorKind.ObjectNotFound,
                $"The archive does not reach back to the backup: the earliest archived file after the backup ({first.Name}) starts from GTID state '{first.PreviousGtids}', which includes {missing} that the backup ('{backup}') does not hold. The binlogs with those transactions were not archived (or were purged first).",
                first.Name, "Restore from a newer base backup taken after those binlogs, or archive the missing binlogs if the server still has them.");
        }

        var start = candidates
            .OrderByDescending(a => SameSet(a.PreviousGtids, backup))
            .ThenBy(a => a.FirstEventAt ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Sequence)
            .First();
        RequireUnconflicted(start, null);
        if (SameSet(start.PreviousGtids, backup))
        {
            _checks.Add($"backup GTID set {backup} equals the previous set of {start.Name}: replay starts at its beginning");
            return new ChainLink(start, start.StartPosition, false);
        }

        long pos = FirstMissingTransaction(start, backup, "the backup's GTID set");
        _checks.Add(string.Create(CultureInfo.InvariantCulture,
            $"backup GTID set {backup} ends inside {start.Name}: replay starts at position {pos}, the first transaction it lacks"));
        return new ChainLink(start, pos, false);
    }

    /// <summary>
    /// Start position in <paramref name="file"/> for a GTID state that ends inside it: the first
    /// transaction not in <paramref name="state"/>; no later transaction may be in it, and the state must
    /// not hold GTIDs the file's history lacks.
    /// </summary>
    private long FirstMissingTransaction(ArchivedBinlog file, GtidSet state, string what)
    {
        var txs = Transactions(file);
        int first = -1;
        for (int i = 0; i < txs.Count; i++)
        {
            bool held = txs[i].Gtid is { } g && state.Contains(g);
            if (first < 0 && !held)
            {
                first = i;
            }
            else if (first >= 0 && held)
            {
                throw Fork(file.Name,
                    $"{what} ('{state}') holds {txs[i].Gtid} at {file.Name}:{txs[i].StartPosition} but not {txs[first].Gtid} before it: it is not a prefix of this binlog, so no start position replays exactly what is missing.",
                    "Check that the backup comes from this server; or give the start explicitly with --from FILE:POS.");
            }
        }

        var known = file.PreviousGtids.Union(GtidsOf(txs.Take(first < 0 ? txs.Count : first), file.Flavor));
        var foreign = state.Subtract(known);
        if (!foreign.IsEmpty)
        {
            throw Fork(file.Name,
                $"{what} ('{state}') holds {foreign}, which this binlog history does not have before the point where it ends in {file.Name}: the histories diverge.",
                "Check that the backup comes from this server (or a replica that never took other writes).");
        }

        return first < 0 ? file.EndPosition : txs[first].StartPosition;
    }

    /// <summary>The link after <paramref name="cur"/>, proving the step; null at the end of the archived chain.</summary>
    private ChainLink? Next(ChainLink cur)
    {
        var a = cur.Archive;
        var exec = a.ExecutedGtids;
        var later = _archives.Where(x => x.Server == a.Server && SameBase(x, a) && x.Sequence > a.Sequence).ToList();
        if (later.Count > 0)
        {
            long nextSeq = later.Min(x => x.Sequence);
            var next = later.Where(x => x.Sequence == nextSeq).ToList();
            if (nextSeq != a.Sequence + 1)
            {
                var missing = Enumerable.Range(0, (int)Math.Min(nextSeq - a.Sequence - 1, 20))
                    .Select(i => NameFor(a, a.Sequence + 1 + i)).ToList();
                var names = string.Join(", ", missing) + (nextSeq - a.Sequence - 1 > 20 ? ", ..." : "");
                Problem("RestoreChainGap", missing[0],
                    $"Gap in the archive of {a.Server}: {names} {(missing.Count == 1 ? "is" : "are")} missing between {a.Name} and {next[0].Name}.",
                    $"Archive {names} if the server still has {(missing.Count == 1 ? "it" : "them")} (binlog-archive run), or choose a target before the gap (at or before {Time(a.LastEventAt)}, or --stop-position {a.Name}:{a.EndPosition}).");
            }

            var chosen = next.Count == 1 ? next[0] : RequireUnconflicted(next[0], exec, next);
            CheckContinuity(a, exec, chosen);
            _checks.Add($"{chosen.Name} follows {a.Name}: sequence {chosen.Sequence}{(chosen.Sequence == a.Sequence + 1 ? $" = {a.Sequence} + 1" : " (gap overridden)")}"
                + (_gtidsOn ? $", previous GTIDs {chosen.PreviousGtids} = executed of {a.Name}" : ""));
            return new ChainLink(chosen, chosen.StartPosition, false);
        }

        var other = SwitchoverCandidate(a, exec);
        if (other is null)
        {
            return null;
        }

        if (!_options.AllowServerSwitchover)
        {
            throw new BinlogArchiveException("RestoreServerChanged", ErrorKind.InvalidData,
                $"The chain changes server after {a.Name}: {a.Server} has no later archive, and {other.Name} of {other.Server} carries on from the same GTID state (a failover or switchover).",
                other.Name,
                "If the failover is expected, allow it (-AllowServerSwitchover / --allow-switchover); otherwise filter by server (-ServerId / -ServerUuid) or choose a target before the change.");
        }

        long start = SameSet(other.PreviousGtids, exec)
            ? other.StartPosition
            : FirstMissingTransaction(other, exec, $"the GTID state at the end of {a.Name}");
        _checks.Add(string.Create(CultureInfo.InvariantCulture,
            $"switchover: {other.Name} of {other.Server} continues {a.Name} of {a.Server} (previous GTIDs {other.PreviousGtids} ⊆ {exec} ⊆ executed {other.ExecutedGtids}); replay starts at {other.Name}:{start}"));
        return new ChainLink(other, start, true);
    }

    private ArchivedBinlog? SwitchoverCandidate(ArchivedBinlog a, GtidSet exec)
    {
        if (_gtidsOn)
        {
            return _archives
                .Where(x => x.Server != a.Server && x.PreviousGtids.IsSubsetOf(exec) && exec.IsSubsetOf(x.ExecutedGtids)
                            && !x.AddedGtids.IsSubsetOf(exec))
                .OrderByDescending(x => SameSet(x.PreviousGtids, exec))
                .ThenBy(x => x.FirstEventAt ?? DateTimeOffset.MinValue)
                .ThenBy(x => x.Sequence)
                .FirstOrDefault();
        }

        // Without GTIDs only a file that continues the numbering can be recognised as the next one.
        return _archives.FirstOrDefault(x => x.Server != a.Server && SameBase(x, a) && x.Sequence == a.Sequence + 1);
    }

    private void CheckContinuity(ArchivedBinlog from, GtidSet exec, ArchivedBinlog to)
    {
        if (!_gtidsOn)
        {
            return;
        }

        var unknownToNext = exec.Subtract(to.PreviousGtids);
        if (!unknownToNext.IsEmpty)
        {
            Problem("RestoreChainFork", to.Name,
                $"Fork between {from.Name} and {to.Name}: {from.Name} ends with GTIDs {unknownToNext} that {to.Name}'s server had not executed when it began (its previous set is '{to.PreviousGtids}'); the two files belong to different histories.",
                $"Check which archive is wrong (binlog-archive verify, list); restore to a target at or before the end of {from.Name}, or allow the override (-AllowGaps / --allow-gaps) only if you know the histories agree.");
        }

        var missing = to.PreviousGtids.Subtract(exec);
        if (!missing.IsEmpty)
        {
            Problem("RestoreChainGap", to.Name,
                $"GTID gap between {from.Name} and {to.Name}: transactions {missing} were executed before {to.Name} began but are in no archived file of the chain.",
                $"Archive the binlog(s) holding {missing} if the server still has them, or choose a target at or before the end of {from.Name}.");
        }

        var overlap = to.AddedGtids.Subtract(to.AddedGtids.Subtract(exec));
        if (!overlap.IsEmpty)
        {
            Problem("RestoreChainOverlap", to.Name,
                $"Overlap between {from.Name} and {to.Name}: {to.Name} contains GTIDs {overlap} that the chain already applied.",
                "Check for a duplicate or wrongly attributed archive (binlog-archive list); remove it from the store after verifying it, or allow the override (-AllowGaps / --allow-gaps).");
        }
    }

    /// <summary>A file whose sequence is archived twice with different contents: an overlap, unless overridden.</summary>
    private ArchivedBinlog RequireUnconflicted(ArchivedBinlog chosen, GtidSet? exec, IReadOnlyList<ArchivedBinlog>? group = null)
    {
        if (!_conflicted.Contains(chosen))
        {
            return chosen;
        }

        group ??= _archives.Where(x => x.Server == chosen.Server && x.Name == chosen.Name).ToList();
        var pick = exec is null ? chosen : group.FirstOrDefault(x => SameSet(x.PreviousGtids, exec)) ?? chosen;
        Problem("RestoreChainOverlap", chosen.Name,
            $"Overlap: {chosen.Name} of {chosen.Server} is archived {group.Count} times with different contents ({Describe(group)}).",
            $"Verify both (binlog-archive verify) and remove the wrong one from the store; with the override (-AllowGaps / --allow-gaps) the planner uses {pick.ArchiveKey}.");
        return pick;
    }

    private IEnumerable<ChainLink> Walk(ChainLink? first)
    {
        for (var link = first; link != null; link = Next(link))
        {
            yield return link;
        }
    }

    // ---- plan ---------------------------------------------------------------------------------------------

    private sealed class Cut
    {
        public List<RestoreStep> Steps { get; } = [];

        public GtidSet State { get; set; } = GtidSet.Empty(BinlogFlavor.Unknown);

        public string? LastGtid { get; set; }

        public DateTimeOffset? LastTime { get; set; }

        public string Description { get; set; } = "";

        public RestoreAmbiguity? Ambiguity { get; set; }

        public ChainLink? LastLink { get; set; }
    }

    private RestorePlan Build()
    {
        if (_target.Kind == RestoreTargetKind.StopAfterGtid || _target.Kind == RestoreTargetKind.StopBeforeGtid)
        {
            if (_backup.Gtids is { IsEmpty: false } held && held.Contains(_target.Gtid!))
            {
                throw BeforeBackup($"GTID {_target.Gtid} is already in the backup's GTID set '{held}'.");
            }
        }

        var first = FindStart();
        var startState = _backup.Gtids is { IsEmpty: false } b ? b : first?.Archive.PreviousGtids ?? GtidSet.Empty(_flavor);
        bool upperBound = _backup.Gtids is not { IsEmpty: false } && first != null && first.Start > first.Archive.StartPosition;
        var cut = new Cut { State = startState };

        switch (_target.Kind)
        {
            case RestoreTargetKind.Latest:
                PlanLatest(first, cut);
                break;
            case RestoreTargetKind.Time:
                PlanTime(first, _target.Time!.Value, cut);
                break;
            case RestoreTargetKind.StopAfterGtid:
            case RestoreTargetKind.StopBeforeGtid:
                PlanGtid(first, _target.Gtid!, _target.Kind == RestoreTargetKind.StopAfterGtid, cut);
                break;
            default:
                PlanPosition(first, _target.File!, _target.Position!.Value, cut);
                break;
        }

        if (first != null && upperBound && _scanned.TryGetValue(first.Archive, out var firstTxs))
        {
            // The first file was scanned anyway: the backup's state at its position is known exactly.
            startState = first.Archive.PreviousGtids.Union(GtidsOf(firstTxs.Where(t => t.EndPosition <= first.Start), _flavor));
            upperBound = false;
        }

        AddWarnings(first, cut);
        var servers = cut.Steps.Select(s => s.Archive.Server.ToString()).Distinct().ToList();
        return new RestorePlan
        {
            Flavor = _flavor,
            Backup = _backup,
            Target = _target,
            Steps = cut.Steps,
            GtidsToApply = cut.State.Subtract(startState),
            GtidsToApplyIsUpperBound = upperBound && _gtidsOn,
            GtidsAtStop = cut.State,
            LastAppliedGtid = cut.LastGtid,
            LastAppliedCommitTime = cut.LastTime,
            StopDescription = cut.Description,
            Ambiguity = cut.Ambiguity,
            Warnings = _warnings,
            Chain = new RestoreChainProof(
                cut.Steps.Select(s => s.File).ToList(),
                servers,
                _backup.Gtids,
                startState,
                cut.State,
                SequenceChecked: true,
                GtidContinuityChecked: _gtidsOn,
                _checks,
                _overrides),
        };
    }

    private void PlanLatest(ChainLink? first, Cut cut)
    {
        foreach (var link in Walk(first))
        {
            AddWhole(link, cut);
        }

        cut.Description = cut.LastLink is { } last
            ? string.Create(CultureInfo.InvariantCulture,
                $"latest restorable point: the end of {last.Archive.Name} (position {last.Archive.EndPosition}, last event {Time(last.Archive.LastEventAt)}), the last archived file of the chain")
            : "nothing to apply: the backup already holds every archived transaction";
    }

    private void PlanTime(ChainLink? first, DateTimeOffset t, Cut cut)
    {
        if (first is null)
        {
            throw Beyond($"the backup already holds every archived transaction, so no archived binlog reaches {Time(t)}.",
                "Archive newer binlogs (binlog-archive run) or restore the backup alone.");
        }

        ChainLink? previous = null;
        foreach (var link in Walk(first))
        {
            var f = link.Archive;
            bool isFirst = previous is null;
            if (isFirst && f.FirstEventAt is { } began && began > t)
            {
                throw BeforeBackup($"{Time(t)} is before {f.Name} began ({Time(began)}), the binlog the backup starts in: the backup already reflects a later state.");
            }

            if (!isFirst && f.FirstEventAt is { } starts && starts > t)
            {
                Finish(cut, previous!, $"the end of {previous!.Archive.Name}: every transaction in it committed at or before {Time(t)}, and {f.Name} began after it ({Time(starts)})");
                return;
            }

            if (f.LastEventAt is { } ended && ended.AddSeconds(1) <= t)
            {
                AddWhole(link, cut);
                previous = link;
                continue;
            }

            var txs = Transactions(f);
            if (isFirst)
            {
                CheckBackupPosition(link, txs);
                foreach (var held in txs.Where(x => x.EndPosition <= link.Start))
                {
                    var verdict = Classify(held, t);
                    if (verdict == TimeVerdict.After)
                    {
                        throw BeforeBackup($"the backup already holds {Label(held)}, committed at {Time(held.CommitTime)}, after {Time(t)}.");
                    }

                    if (verdict == TimeVerdict.Ambiguous)
                    {
                        _warnings.Add($"The backup holds {Label(held)}, recorded in second {Time(held.CommitTime)} which contains the target {Time(t)}: it may have committed after the target.");
                    }
                }
            }

            var applicable = txs.Where(x => x.StartPosition >= link.Start).ToList();
            int stop = applicable.FindIndex(x => Classify(x, t) != TimeVerdict.Applied);
            if (stop < 0)
            {
                AddWhole(link, cut);
                previous = link;
                continue;
            }

            var late = applicable.Skip(stop + 1).Where(x => Classify(x, t) == TimeVerdict.Applied).ToList();
            if (late.Count > 0)
            {
                _warnings.Add($"Commit times in {f.Name} are not in binlog order: {string.Join(", ", late.Take(10).Select(Label))} committed at or before {Time(t)} but follow {Label(applicable[stop])} (committed after it) and are not applied, because a replay is a prefix of the binlog. Use --stop-gtid / --stop-position to cut elsewhere.");
            }

            var stopper = applicable[stop];
            if (Classify(stopper, t) == TimeVerdict.Ambiguous)
            {
                cut.Ambiguity = DescribeAmbiguity(link, applicable, stop, t);
            }

            if (stop > 0)
            {
                var last = applicable[stop - 1];
                AddCut(link, last.EndPosition, applicable.Take(stop), cut);
                cut.Description = string.Create(CultureInfo.InvariantCulture,
                    $"{f.Name}:{last.EndPosition}, the end of {Label(last)} (committed {Time(last.CommitTime)}), the last transaction committed at or before {Time(t)}; the next, {Label(stopper)}, committed {Time(stopper.CommitTime)}")
                    + (cut.Ambiguity != null ? " (whole-second ambiguity: see ambiguity)" : "");
            }
            else if (previous is null)
            {
                cut.Description = $"nothing to apply: no archived transaction after the backup committed at or before {Time(t)} (the first, {Label(stopper)}, committed {Time(stopper.CommitTime)})";
                _warnings.Add(cut.Description + ". The backup alone is the state at the target.");
            }
            else
            {
                Finish(cut, previous, $"the end of {previous.Archive.Name}: the first transaction of {f.Name}, {Label(stopper)}, committed {Time(stopper.CommitTime)}, after {Time(t)}");
            }

            return;
        }

        // The whole chain is applied: the target must not lie past what was archived.
        var end = previous!.Archive;
        if (end.LastEventAt is { } lastEvent && t > lastEvent)
        {
            throw Beyond($"{Time(t)} is after the last archived event ({end.Name}, {Time(lastEvent)}): the server may have committed transactions after that which are not archived yet.",
                $"Archive the newer binlogs (FLUSH BINARY LOGS, then binlog-archive run), or restore to at most {Time(lastEvent)} (or the latest restorable point).");
        }

        Finish(cut, previous, $"the end of {end.Name}: every archived transaction committed at or before {Time(t)}");
    }

    private RestoreAmbiguity DescribeAmbiguity(ChainLink link, List<BinlogTransaction> applicable, int stop, DateTimeOffset t)
    {
        var second = applicable[stop].CommitTime;
        var list = new List<AmbiguousTransaction>();
        bool open = true;
        foreach (var x in applicable.Skip(stop))
        {
            if (x.CommitTime > second)
            {
                open = false;
                break;
            }

            if (x.CommitTime == second)
            {
                list.Add(new AmbiguousTransaction(x.Gtid, link.Archive.Name, x.StartPosition, x.EndPosition, x.CommitTime));
            }
        }

        // The second may continue in the next file(s); look only as far as the chain is sound.
        var current = link;
        while (open)
        {
            ChainLink? next;
            try
            {
                next = Next(current);
            }
            catch (BinlogArchiveException)
            {
                break;
            }

            if (next is null || next.Archive.FirstEventAt is not { } began || began > second)
            {
                break;
            }

            foreach (var x in Transactions(next.Archive).Where(x => x.StartPosition >= next.Start))
            {
                if (x.CommitTime > second)
                {
                    open = false;
                    break;
                }

                if (x.CommitTime == second)
                {
                    list.Add(new AmbiguousTransaction(x.Gtid, next.Archive.Name, x.StartPosition, x.EndPosition, x.CommitTime));
                }
            }

            current = next;
        }

        var lastInSecond = list[^1];
        string example = lastInSecond.Gtid is { } g
            ? $"--stop-gtid {g} (-StopGtid) to include the whole second, or --stop-gtid / --stop-before-gtid with one of the GTIDs above"
            : string.Create(CultureInfo.InvariantCulture, $"--stop-position {lastInSecond.File}:{lastInSecond.EndPosition} to include the whole second, or another listed end position");
        return new RestoreAmbiguity(
            second,
            t,
            list,
            string.Create(CultureInfo.InvariantCulture,
                $"before second {Time(second)}: none of the {list.Count} transaction(s) recorded in it is applied; the replay stops at {link.Archive.Name}:{(stop > 0 ? applicable[stop - 1].EndPosition : link.Start)}"),
            $"The binlog records commit times in whole seconds only, so which of these committed before {Time(t)} is unknown. For an exact cut use {example}.");
    }

    private void PlanGtid(ChainLink? first, string gtid, bool inclusive, Cut cut)
    {
        foreach (var link in Walk(first))
        {
            var f = link.Archive;
            if (!f.AddedGtids.Contains(gtid))
            {
                AddWhole(link, cut);
                continue;
            }

            var txs = Transactions(f);
            int at = txs.ToList().FindIndex(x => x.Gtid is { } g && Single(g).Contains(gtid));
            if (at < 0)
            {
                throw new BinlogArchiveException("RestoreArchiveInconsistent", ErrorKind.InvalidData,
                    $"The sidecar of {f.Name} lists GTID {gtid} among its transactions, but the binlog does not contain it.", f.ArchiveKey,
                    "Verify the archive (binlog-archive verify) and re-protect the source binlog if it still exists.");
            }

            var hit = txs[at];
            if (hit.StartPosition < link.Start)
            {
                throw BeforeBackup(string.Create(CultureInfo.InvariantCulture,
                    $"GTID {gtid} is at {f.Name}:{hit.StartPosition}, before the replay's start position {link.Start} (the backup already holds it)."));
            }

            var applied = txs.Where(x => x.StartPosition >= link.Start && x.StartPosition < hit.StartPosition).ToList();
            if (inclusive)
            {
                applied.Add(hit);
            }

            if (applied.Count > 0)
            {
                var last = applied[^1];
                AddCut(link, last.EndPosition, applied, cut);
                var end = last.EndPosition.ToString(CultureInfo.InvariantCulture);
                cut.Description = inclusive
                    ? $"{f.Name}:{end}, the end of the transaction with GTID {gtid} (inclusive)"
                    : $"{f.Name}:{end}, the end of {Label(last)}, the transaction before GTID {gtid} (which is excluded)";
            }
            else if (cut.LastLink is { } previous)
            {
                Finish(cut, previous, $"the end of {previous.Archive.Name}: GTID {gtid} is the first transaction of {f.Name} (excluded)");
            }
            else
            {
                cut.Description = $"nothing to apply: GTID {gtid} is the first transaction after the backup (excluded)";
                _warnings.Add(cut.Description + ".");
            }

            return;
        }

        throw Beyond($"GTID {gtid} is in no archived binlog from the backup onwards (the archived chain ends at GTID state '{cut.State}').",
            "Check the GTID (SHOW BINLOG EVENTS / binlog-archive inspect); if it was committed later, archive the newer binlogs first.");
    }

    private void PlanPosition(ChainLink? first, string file, long position, Cut cut)
    {
        foreach (var link in Walk(first))
        {
            var f = link.Archive;
            if (f.Name != file)
            {
                AddWhole(link, cut);
                continue;
            }

            if (position > f.EndPosition)
            {
                throw Beyond(string.Create(CultureInfo.InvariantCulture,
                        $"position {position} is beyond the archived end of {file} ({f.EndPosition})."),
                    $"Use a position at most {f.EndPosition}, or archive the complete file.");
            }

            if (position < link.Start)
            {
                throw BeforeBackup(string.Create(CultureInfo.InvariantCulture,
                    $"{file}:{position} is before the replay's start position {link.Start} (the backup already holds everything before it)."));
            }

            var txs = Transactions(f);
            var straddling = txs.FirstOrDefault(x => x.StartPosition < position && x.EndPosition > position);
            if (straddling != null)
            {
                throw new BinlogArchiveException("RestoreStopPositionInsideTransaction", ErrorKind.InvalidArgument,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Stop position {file}:{position} falls inside {Label(straddling)} ({straddling.StartPosition}..{straddling.EndPosition}): replaying up to it would apply part of a transaction."),
                    file,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Use {straddling.StartPosition} to stop before that transaction or {straddling.EndPosition} to include it."));
            }

            if (position == link.Start)
            {
                if (cut.LastLink is { } previous)
                {
                    Finish(cut, previous, $"the end of {previous.Archive.Name}: nothing of {file} starts before {position}");
                }
                else
                {
                    cut.Description = string.Create(CultureInfo.InvariantCulture, $"nothing to apply: {file}:{position} is the backup's own position");
                    _warnings.Add(cut.Description + ".");
                }

                return;
            }

            var applied = txs.Where(x => x.StartPosition >= link.Start && x.EndPosition <= position).ToList();
            AddCut(link, position, applied, cut);
            cut.Description = string.Create(CultureInfo.InvariantCulture,
                $"{file}:{position}: every event starting before it (as mysqlbinlog --stop-position)")
                + (applied.Count > 0 ? $"; the last transaction applied is {Label(applied[^1])}" : "");
            return;
        }

        var named = _archives.Where(a => a.Name == file).ToList();
        if (first != null && named.Any(a => a.Server == first.Archive.Server && a.Sequence < first.Archive.Sequence))
        {
            throw BeforeBackup($"{file} is before the backup's binlog file {first.Archive.Name}.");
        }

        throw Beyond(named.Count == 0
                ? $"{file} is not archived."
                : $"{file} is archived but not part of the chain from the backup (it belongs to {string.Join(", ", named.Select(a => a.Server.ToString()).Distinct())}).",
            "Check the file name (binlog-archive list); archive it first if the server still has it.");
    }

    // ---- building steps ------------------------------------------------------------------------------------

    private void AddWhole(ChainLink link, Cut cut)
    {
        cut.LastLink = link;
        if (link.Start >= link.Archive.EndPosition)
        {
            return;
        }

        cut.Steps.Add(new RestoreStep(link.Archive, link.Start, null, link.Switchover));
        cut.State = cut.State.Union(link.Archive.AddedGtids);
        if (_scanned.TryGetValue(link.Archive, out var txs) && txs.LastOrDefault(x => x.StartPosition >= link.Start) is { } last)
        {
            cut.LastGtid = last.Gtid;
            cut.LastTime = last.CommitTime;
        }
        else
        {
            cut.LastGtid = null;
            cut.LastTime = null;
        }
    }

    private void AddCut(ChainLink link, long stop, IEnumerable<BinlogTransaction> applied, Cut cut)
    {
        var list = applied.ToList();
        cut.LastLink = link;
        cut.Steps.Add(new RestoreStep(link.Archive, link.Start, stop, link.Switchover));
        cut.State = cut.State.Union(GtidsOf(list, link.Archive.Flavor));
        if (list.Count > 0)
        {
            cut.LastGtid = list[^1].Gtid;
            cut.LastTime = list[^1].CommitTime;
        }
    }

    private static void Finish(Cut cut, ChainLink last, string description)
    {
        cut.LastLink = last;
        cut.Description = description;
    }

    private void AddWarnings(ChainLink? first, Cut cut)
    {
        if (!_gtidsOn || cut.Steps.Count == 0)
        {
            return;
        }

        var from = _backup.Gtids?.ToString() ?? first?.Archive.PreviousGtids.ToString() ?? "";
        _warnings.Add(_flavor == BinlogFlavor.MariaDb
            ? $"Replay into a server freshly restored from this backup and nothing else. With gtid_strict_mode=ON MariaDB rejects a GTID older than its gtid_binlog_state (ERROR 1950), so a server that has taken other writes must be reset first (RESET MASTER; SET GLOBAL gtid_slave_pos = '{from}')."
            : $"Replay into a server freshly restored from this backup: its gtid_executed must equal the backup's set ('{from}'). A transaction whose GTID the server already has is silently skipped, not applied; reset it first if it has taken other writes (RESET BINARY LOGS AND GTIDS / RESET MASTER; SET GLOBAL gtid_purged = '{from}').");
        if (cut.Steps.Any(s => s.Switchover))
        {
            _warnings.Add($"The plan follows a server switchover ({string.Join(" → ", cut.Steps.Select(s => s.Archive.Server.ToString()).Distinct())}); it was allowed explicitly.");
        }
    }

    // ---- transactions and time ----------------------------------------------------------------------------

    private enum TimeVerdict
    {
        Applied,
        Ambiguous,
        After,
    }

    /// <summary>The rule in the type's remarks: microsecond times compare exactly; whole seconds s apply when s + 1 ≤ T, are ambiguous when s &lt; T &lt; s + 1.</summary>
    private static TimeVerdict Classify(BinlogTransaction tx, DateTimeOffset t)
    {
        if (tx.MicrosecondPrecision)
        {
            return tx.CommitTime <= t ? TimeVerdict.Applied : TimeVerdict.After;
        }

        if (tx.CommitTime.AddSeconds(1) <= t)
        {
            return TimeVerdict.Applied;
        }

        return tx.CommitTime < t ? TimeVerdict.Ambiguous : TimeVerdict.After;
    }

    private IReadOnlyList<BinlogTransaction> Transactions(ArchivedBinlog file)
    {
        if (!_scanned.TryGetValue(file, out var list))
        {
            list = _transactionsOf(file).ToList();
            _scanned[file] = list;
        }

        return list;
    }

    private void CheckBackupPosition(ChainLink link, IReadOnlyList<BinlogTransaction> txs)
    {
        var inside = txs.FirstOrDefault(x => x.StartPosition < link.Start && x.EndPosition > link.Start);
        if (inside != null)
        {
            throw new BinlogArchiveException("RestoreBackupPositionInvalid", ErrorKind.InvalidData,
                string.Create(CultureInfo.InvariantCulture,
                    $"The backup's position {link.Archive.Name}:{link.Start} falls inside {Label(inside)} ({inside.StartPosition}..{inside.EndPosition}), not between transactions."),
                link.Archive.Name, "Check the backup's coordinates file; a consistent backup always records a transaction boundary.");
        }
    }

    private GtidSet GtidsOf(IEnumerable<BinlogTransaction> txs, BinlogFlavor flavor)
    {
        var parts = txs.Where(x => x.Gtid != null).Select(x => SingleText(x.Gtid!)).ToList();
        if (parts.Count == 0)
        {
            return GtidSet.Empty(flavor == BinlogFlavor.Unknown ? _flavor : flavor);
        }

        return GtidSet.Parse(string.Join(",", parts));
    }

    /// <summary>A reader GTID as a one-element set (MariaDB <c>d-s-n</c> alone would mean 1..n).</summary>
    private static GtidSet Single(string gtid) => GtidSet.Parse(SingleText(gtid));

    private static string SingleText(string gtid)
    {
        if (gtid.Contains(':'))
        {
            return gtid;
        }

        var p = gtid.Split('-');
        return $"{p[0]}-{p[1]}-{p[2]}..{p[2]}";
    }

    private static bool SameSet(GtidSet a, GtidSet b) => a.IsSubsetOf(b) && b.IsSubsetOf(a);

    private static bool SameBase(ArchivedBinlog a, ArchivedBinlog b) => BaseName(a) == BaseName(b);

    private static string BaseName(ArchivedBinlog a) => BinlogName.TryParse(a.Name, out var n) ? n.BaseName : a.Name;

    private static string NameFor(ArchivedBinlog like, long sequence)
    {
        int width = BinlogName.TryParse(like.Name, out var n) ? like.Name.Length - n.BaseName.Length - 1 : 6;
        return BaseName(like) + "." + sequence.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
    }

    private static string Label(BinlogTransaction tx) => tx.Gtid is { } g
        ? "GTID " + g
        : string.Create(CultureInfo.InvariantCulture, $"the transaction at {tx.StartPosition}");

    private static string Time(DateTimeOffset? time) => time is { } t
        ? t.ToUniversalTime().ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
        : "(unknown time)";

    private static string Describe(IEnumerable<ArchivedBinlog> archives) =>
        string.Join("; ", archives.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.ArchiveKey}: end {a.EndPosition}, added '{a.AddedGtids}'")));

    // ---- errors --------------------------------------------------------------------------------------------

    /// <summary>A chain problem: an error, or with <see cref="RestoreOptions.AllowGaps"/> a recorded override.</summary>
    private void Problem(string errorId, string target, string message, string action)
    {
        if (_options.AllowGaps)
        {
            _overrides.Add($"{errorId}: {message}");
            _warnings.Add($"Overridden ({errorId}): {message}");
            return;
        }

        throw new BinlogArchiveException(errorId, ErrorKind.InvalidData, message, target, action);
    }

    private BinlogArchiveException BackupFileNotArchived(string file)
    {
        BinlogName.TryParse(file, out var wanted);
        var sameBase = _archives.Where(a => BaseName(a) == wanted.BaseName).OrderBy(a => a.Sequence).ToList();
        string detail = sameBase.Count == 0
            ? "no archived file has that base name"
            : sameBase[0].Sequence > wanted.Sequence
                ? $"the archive starts at {sameBase[0].Name}: the binlogs from {file} on were not archived before the server purged them"
                : $"the archive ends at {sameBase[^1].Name}, before {file}";
        return new BinlogArchiveException("RestoreBackupNotInArchive", ErrorKind.ObjectNotFound,
            $"The backup's binlog file {file} is not in the archive ({detail}).", file,
            sameBase.Count > 0 && sameBase[0].Sequence > wanted.Sequence
                ? "Restore from a newer base backup (one taken after the earliest archived binlog)."
                : $"Archive {file} and the binlogs after it (binlog-archive run), then plan again.");
    }

    private BinlogArchiveException Fork(string target, string message, string action) =>
        new("RestoreChainFork", ErrorKind.InvalidData, message, target, action);

    private BinlogArchiveException BeforeBackup(string why) =>
        new("RestoreTargetBeforeBackup", ErrorKind.InvalidArgument,
            $"The restore target ({_target}) is before the base backup ({_backup}): {why}", _backup.Source,
            "Use an older base backup, or a later target.");

    private BinlogArchiveException Beyond(string why, string action) =>
        new("RestoreTargetBeyondArchive", ErrorKind.ObjectNotFound,
            $"The restore target ({_target}) is beyond the archived binlogs: {why}", null, action);
}
