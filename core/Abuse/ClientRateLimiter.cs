using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Abuse;

/// <summary>What a client is doing, each with its own budget.</summary>
public enum LimitedAction
{
    Reserve,
    Lookup,
}

/// <summary>
/// Sliding-window limits per client IP (System.Threading.RateLimiting). Failed look-ups draw on a
/// separate, much smaller hourly budget: once a client has guessed wrong that often, its look-ups
/// are refused until the window moves on, so codes cannot be enumerated from one address.
/// The limiters keep their own (real) time: they pace requests, not festival events.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _reserve;
    private readonly PartitionedRateLimiter<string> _lookup;
    private readonly PartitionedRateLimiter<string> _failures;

    public ClientRateLimiter(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _reserve = PerClient(o.ReservationsPerMinute, TimeSpan.FromMinutes(1));
        _lookup = PerClient(o.LookupsPerMinute, TimeSpan.FromMinutes(1));
        _failures = PerClient(o.FailedLookupsPerHour, TimeSpan.FromHours(1));
    }

    /// <summary>Null when the client may go ahead; otherwise how long it should wait.</summary>
    public TimeSpan? Check(LimitedAction action, string client)
    {
        if (action == LimitedAction.Lookup)
        {
            // Peek at the failure budget without spending it: exhausted means slowed.
            using var failures = _failures.AttemptAcquire(client, 0);
            if (!failures.IsAcquired)
            {
                return RetryAfter(failures, TimeSpan.FromMinutes(5));
            }
        }

        using var lease = (action == LimitedAction.Reserve ? _reserve : _lookup).AttemptAcquire(client);
        return lease.IsAcquired ? null : RetryAfter(lease, TimeSpan.FromSeconds(10));
    }

    /// <summary>A look-up or cancel named a code and phone that do not match: spend from the failure budget.</summary>
    public void RecordFailedLookup(string client)
    {
        using var _ = _failures.AttemptAcquire(client);
    }

    public void Dispose()
    {
        _reserve.Dispose();
        _lookup.Dispose();
        _failures.Dispose();
    }

    private static PartitionedRateLimiter<string> PerClient(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetSlidingWindowLimiter(client,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, permits),
                Window = window,
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : fallback;
}
