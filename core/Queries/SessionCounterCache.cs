using System.Collections.Concurrent;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Queries;

/// <summary>
/// Session counters for the read routes, each kept for one second: thousands of phones refreshing
/// the program list cost one storage read per session per second, while every booking decision
/// still reads the counter itself. Read-your-writes within this instance: a booking round this
/// instance committed is applied to its entry at once (<see cref="Committed"/>), any other change
/// drops the entry (<see cref="Forget"/>), and a read that was in flight across one of these is not
/// kept, so a visitor who has just booked never sees the count from before.
/// </summary>
public sealed class SessionCounterCache(SessionStore store, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    private const int Parallelism = 32;
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>Per session, how many writes this instance has made: the order a read is checked against.</summary>
    private readonly ConcurrentDictionary<string, long> _writes = new();

    /// <summary>Reads of a session in flight: a second caller waits for the first read rather than making its own.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task<SessionState?>>> _reading = new(StringComparer.Ordinal);

    /// <summary>
    /// The session's counter, at most <see cref="Freshness"/> old; when the kept one is older, one
    /// read of storage serves every caller that asks meanwhile (a rush asks hundreds of times at once).
    /// </summary>
    public Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(sessionId, out var entry) && clock.GetUtcNow() - entry.ReadAt < Freshness)
        {
            return Task.FromResult(entry.State);
        }

        var reading = _reading.GetOrAdd(sessionId, id => new Lazy<Task<SessionState?>>(() => ReadAsync(id)));
        return reading.Value.WaitAsync(cancellationToken);
    }

    /// <summary>One read shared by its callers (so none of them may cancel it), kept unless this instance wrote meanwhile.</summary>
    private async Task<SessionState?> ReadAsync(string sessionId)
    {
        try
        {
            var now = clock.GetUtcNow();
            var writesBefore = _writes.GetValueOrDefault(sessionId);
            var state = await store.GetStateAsync(sessionId, CancellationToken.None);
            if (_writes.GetValueOrDefault(sessionId) != writesBefore)
            {
                // This instance wrote the session while the read was out: the read may be from before it.
                return _entries.TryGetValue(sessionId, out var newer) ? newer.State : state;
            }

            _entries[sessionId] = new Entry(state, now);
            return state;
        }
        finally
        {
            _reading.TryRemove(sessionId, out _);
        }
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

    /// <summary>The reservations of a booking transaction this instance has committed, applied to the kept counter.</summary>
    public void Committed(string sessionId, IReadOnlyCollection<Reservation> reservations)
    {
        var waitlisted = reservations.Where(r => r.Status == ReservationStatus.Waitlisted).ToList();
        Apply(sessionId,
            reservedSeats: reservations.Sum(r => r.HoldsSeats ? r.PartySize : 0),
            waitlistedSeats: waitlisted.Sum(r => r.PartySize), waitlistedParties: waitlisted.Count);
    }

    /// <summary>
    /// A booking round this instance has committed: its seats and waitlist places are added to the
    /// kept counter (which keeps its age), so the next look shows them without a read.
    /// </summary>
    private void Apply(string sessionId, int reservedSeats, int waitlistedSeats, int waitlistedParties)
    {
        Wrote(sessionId);
        while (_entries.TryGetValue(sessionId, out var entry) && entry.State is { } state)
        {
            var applied = entry with
            {
                State = state with
                {
                    Reserved = state.Reserved + reservedSeats,
                    Waitlisted = state.Waitlisted + waitlistedSeats,
                    WaitlistParties = state.WaitlistParties + waitlistedParties,
                },
            };
            if (_entries.TryUpdate(sessionId, applied, entry))
            {
                return;
            }
        }
    }

    /// <summary>Any other change this instance made: the next look reads storage.</summary>
    public void Forget(string sessionId)
    {
        Wrote(sessionId);
        _entries.TryRemove(sessionId, out _);
    }

    /// <summary>A read in flight from before this write is not shared with anyone who asks after it.</summary>
    private void Wrote(string sessionId)
    {
        _writes.AddOrUpdate(sessionId, 1, static (_, n) => n + 1);
        _reading.TryRemove(sessionId, out _);
    }

    private sealed record Entry(SessionState? State, DateTimeOffset ReadAt);
}
