namespace BinlogArchive.Core.Restore;

/// <summary>
/// A time target that falls inside a second the binlog records only as a whole (MariaDB) while
/// transactions were committed in that second: which of them happened before the target cannot be
/// known. The plan stops before the second (<see cref="Boundary"/>); <see cref="Transactions"/> lists
/// what the second holds so the operator can cut exactly with a GTID or position target.
/// </summary>
/// <param name="Second">The start of the ambiguous second (UTC).</param>
/// <param name="Target">The requested time.</param>
/// <param name="Transactions">Transactions recorded in that second, in binlog order (all excluded from the plan).</param>
/// <param name="Boundary">The boundary chosen, in words.</param>
/// <param name="Advice">What to pass for an exact cut.</param>
public sealed record RestoreAmbiguity(
    DateTimeOffset Second,
    DateTimeOffset Target,
    IReadOnlyList<AmbiguousTransaction> Transactions,
    string Boundary,
    string Advice);
