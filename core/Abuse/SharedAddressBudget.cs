using System.Collections.Concurrent;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Abuse;

/// <summary>
/// A per-address budget that holds across instances (<see cref="AddressBudgetRule"/>): like seat
/// allotments, an instance takes a chunk of the window's budget from the shared row (one guarded
/// write) and spends it locally, and takes the next chunk when it is spent. Storage sees one write
/// per chunk, not per request; an exhausted window is known locally until it ends. Its clock is real
/// time (the app registers TimeProvider.System), like the sliding windows': limits pace requests, and
/// a pinned festival clock would put every local app that ever started in the same window.
/// </summary>
public sealed class SharedAddressBudget(IAddressBudgetLedger ledger, TimeProvider clock, IOptions<RateLimitOptions> options)
{
    /// <summary>How long a client is held by the sliding window alone after a claim met a storage failure.</summary>
    public static readonly TimeSpan FailOpenFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(LimitedAction Action, string Key, long Window), Lease> _leases = new();
    private long _sweptBefore;

    /// <summary>Null when the client may go ahead; otherwise how long it should wait.</summary>
    public async Task<TimeSpan?> TakeAsync(LimitedAction action, string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var window = AddressBudgetRule.WindowIndex(now);
        Sweep(window);
        var lease = _leases.GetOrAdd((action, key, window), _ => new Lease());
        if (lease.TryTake() || lease.OpenUntil > now)
        {
            return null;
        }

        await lease.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another request of this instance may have claimed while this one waited.
            if (lease.TryTake() || lease.OpenUntil > now)
            {
                return null;
            }

            if (lease.Exhausted)
            {
                return AddressBudgetRule.UntilNextWindow(window, now);
            }

            var budget = AddressBudgetRule.WindowBudget(options.Value.PerMinute(action));
            var claim = new BudgetClaim(action, key, window, budget, lease.Claims > 0);
            int? claimed;
            try
            {
                claimed = await ledger.ClaimAsync(claim, cancellationToken);
            }
            catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
            {
                // Storage is down: the request's own storage work answers 503 soon enough. The budget
                // must not queue this client's requests behind failing claims, so for a few seconds
                // only this instance's sliding window (the cheap gate) holds it.
                lease.OpenUntil = now + FailOpenFor;
                return null;
            }

            switch (claimed)
            {
                case null:
                    return TimeSpan.FromSeconds(1);
                case 0:
                    lease.Exhausted = true;
                    return AddressBudgetRule.UntilNextWindow(window, now);
                case var granted:
                    lease.Grant(granted.Value);
                    return lease.TryTake() ? null : TimeSpan.FromSeconds(1);
            }
        }
        finally
        {
            lease.Gate.Release();
        }
    }

    /// <summary>Leases of windows that are over are dropped, once per window (the map holds the current clients only).</summary>
    private void Sweep(long window)
    {
        var swept = Interlocked.Read(ref _sweptBefore);
        if (swept >= window || Interlocked.CompareExchange(ref _sweptBefore, window, swept) != swept)
        {
            return;
        }

        foreach (var entry in _leases.Keys.Where(k => k.Window < window))
        {
            _leases.TryRemove(entry, out _);
        }
    }

    private sealed class Lease
    {
        private int _left;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Claims { get; private set; }

        public bool Exhausted { get; set; }

        public DateTimeOffset OpenUntil { get; set; }

        public void Grant(int tokens)
        {
            Claims++;
            Interlocked.Add(ref _left, tokens);
        }

        public bool TryTake()
        {
            while (true)
            {
                var left = Volatile.Read(ref _left);
                if (left <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
                {
                    return true;
                }
            }
        }
    }
}
