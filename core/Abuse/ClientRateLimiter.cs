using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Abuse;

/// <summary>What a client is doing, each with its own budget.</summary>
public enum LimitedAction
{
    Reserve,
    Lookup,

    /// <summary>Twilio's status callback.</summary>
    SmsStatus,
}

/// <summary>
/// Per-client-address limits (clients are keyed by <see cref="ClientAddress.KeyOf"/>). First, this
/// instance's sliding windows (System.Threading.RateLimiting): the cheap gate, which stops a flood
/// without a storage call. Then the budget shared by every instance (<see cref="SharedAddressBudget"/>),
/// so that 40 instances do not give a client 40 budgets. Failed look-ups draw on a separate, much
/// smaller hourly budget (this instance's): once a client has guessed wrong that often, its look-ups
/// are refused until the window moves on. The sliding windows keep their own (real) time: they pace
/// requests, not festival events.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _reserve;
    private readonly PartitionedRateLimiter<string> _lookup;
    private readonly PartitionedRateLimiter<string> _smsStatus;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly SharedAddressBudget _shared;
    private readonly Telemetry.FestivalTelemetry? _telemetry;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, SharedAddressBudget shared, Telemetry.FestivalTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        var o = options.Value;
        _reserve = PerClient(o.ReservationsPerMinute, TimeSpan.FromMinutes(1));
        _lookup = PerClient(o.LookupsPerMinute, TimeSpan.FromMinutes(1));
        _smsStatus = PerClient(o.StatusCallbacksPerMinute, TimeSpan.FromMinutes(1));
        _failures = PerClient(o.FailedLookupsPerHour, TimeSpan.FromHours(1));
        _shared = shared;
        TrustedProxyHops = o.TrustedProxyHops;
    }

    /// <summary>How many X-Forwarded-For entries from the end are trusted (<see cref="RateLimitOptions.TrustedProxyHops"/>).</summary>
    public int TrustedProxyHops { get; }

    /// <summary>Both gates: null when the client may go ahead; otherwise how long it should wait.</summary>
    public async Task<TimeSpan?> CheckAsync(LimitedAction action, string client, CancellationToken cancellationToken)
    {
        var wait = Check(action, client) ?? await _shared.TakeAsync(action, client, cancellationToken);
        if (wait is not null)
        {
            _telemetry?.Refused(Telemetry.RateLimit.Address);
        }

        return wait;
    }

    /// <summary>This instance's gate only: null when the client may go ahead; otherwise how long it should wait.</summary>
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

        var limiter = action switch
        {
            LimitedAction.Reserve => _reserve,
            LimitedAction.Lookup => _lookup,
            _ => _smsStatus,
        };
        using var lease = limiter.AttemptAcquire(client);
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
        _smsStatus.Dispose();
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
