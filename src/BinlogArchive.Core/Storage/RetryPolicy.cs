namespace BinlogArchive.Core.Storage;

/// <summary>
/// Bounded exponential backoff with full jitter (delay drawn from [0, min(cap, base·2^attempt)]),
/// so many clients throttled at once (S3 503 SlowDown, Azure 503 ServerBusy) spread their retries
/// instead of returning in lockstep.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Total tries including the first.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan DelayFor(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>Runs <paramref name="action"/>, retrying while <paramref name="isTransient"/> says so and tries remain.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, Func<Exception, CancellationToken, bool> isTransient,
        CancellationToken cancellationToken, Action<Exception, int>? onRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxAttempts && isTransient(ex, cancellationToken))
            {
                onRetry?.Invoke(ex, attempt);
                await Task.Delay(DelayFor(attempt - 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
