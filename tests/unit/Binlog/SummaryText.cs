using System.Text;
using BinlogArchive.Core.Binlog;

namespace BinlogArchive.Tests.Unit.Binlog;

/// <summary>Every field of a summary as text, so two summaries compare field by field with a readable diff.</summary>
internal static class SummaryText
{
    public static string Of(BinlogFileSummary s)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{s.FileName} size={s.Size} flavor={s.Flavor} version={s.ServerVersion} server={s.ServerId}");
        sb.AppendLine($"alg={s.ChecksumAlgorithm} inuse={s.InUseFlag} closed={s.ClosedCleanly} last={s.LastEventType} rotates={s.RotatesTo}");
        sb.AppendLine($"first={s.FirstEventAt:O} last={s.LastEventAt:O} start={s.StartPosition} end={s.EndPosition} truncated={s.TruncatedTail}");
        sb.AppendLine($"prev={s.PreviousGtids} added={s.AddedGtids} executed={s.ExecutedGtids}");
        sb.AppendLine($"events={s.EventCount} tx={s.TransactionCount} compressed={s.CompressedTransactionCount} unknown={s.UnknownEventCount}");
        foreach (var kv in s.EventCounts.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"  {kv.Key}={kv.Value}");
        }

        foreach (var e in s.Errors)
        {
            sb.AppendLine($"error {e}");
        }

        foreach (var w in s.Warnings)
        {
            sb.AppendLine($"warning {w}");
        }

        return sb.ToString();
    }
}
