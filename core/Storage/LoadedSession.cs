using Azure;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>A counter as read, with the ETag that guards the next write, and the code its phone marker names when one was asked for.</summary>
public sealed record SessionSnapshot(SessionState State, ETag ETag, string? PhoneMarkerCode);

/// <summary>
/// A <see cref="Session"/> as the store loaded it, with the versions (ETags) its writes are
/// guarded by. Only <see cref="SessionStore"/> reads the versions.
/// </summary>
public sealed class LoadedSession
{
    internal LoadedSession(Session session, ETag counterETag, IReadOnlyDictionary<string, ETag> reservationETags)
    {
        Session = session;
        CounterETag = counterETag;
        ReservationETags = reservationETags;
    }

    public Session Session { get; }

    internal ETag CounterETag { get; }

    /// <summary>By reservation code.</summary>
    internal IReadOnlyDictionary<string, ETag> ReservationETags { get; }

    private readonly List<OutboxRow> _outbox = [];

    /// <summary>The outbox rows of the transactions <see cref="SessionStore.SaveAsync"/> committed, for the dispatcher (after a refused later transaction too).</summary>
    public IReadOnlyList<OutboxRow> Outbox => _outbox;

    internal void Committed(OutboxRow? row)
    {
        if (row is not null)
        {
            _outbox.Add(row);
        }
    }

    /// <summary>A session over a counter this instance already holds (its last write): nothing else loaded.</summary>
    public static LoadedSession FromSnapshot(SessionSnapshot snapshot) =>
        new(new Session(snapshot.State), snapshot.ETag, new Dictionary<string, ETag>(StringComparer.Ordinal));
}
