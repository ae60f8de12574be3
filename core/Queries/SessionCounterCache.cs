using System.Collections.Concurrent;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Queries;

/// <summary>
/// Session counters for the read routes, each kept for one second: thousands of phones refreshing
/// the program list cost one storage read per session per second, while every booking decision
/// still reads the counter itself.
/// </summary>
public sealed class SessionCounterCache(SessionStore store, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    private const int Parallelism = 32;
    private readonly ConcurrentDictionary<string, (SessionState? State, DateTimeOffset ReadAt)> _entries = new();

    public async Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(sessionId, out var entry) && now - entry.ReadAt < Freshness)
        {
            return entry.State;
        }

        var state = await store.GetStateAsync(sessionId, cancellationToken);
        _entries[sessionId] = (state, now);
        return state;
    }

    public async Task<IReadOnlyDictionary<string, SessionState>> GetManyAsync(IEnumerable<string> sessionIds, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, SessionState>();
        await Parallel.ForEachAsync(sessionIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await GetAsync(id, ct) is { } state)
                {
                    found[id] = state;
                }
            });
        return found;
    }

    public void Forget(string sessionId) => _entries.TryRemove(sessionId, out _);
}
