using Azure;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// A counter as read, with the ETag that guards the next write, the code its phone marker names when
/// one was asked for, and the session's allotment rows with theirs when they were read.
/// </summary>
public sealed record SessionSnapshot(SessionState State, ETag ETag, string? PhoneMarkerCode)
{
    public IReadOnlyList<AllotmentRow> Allotments { get; init; } = [];

    /// <summary>The session as visitors see it (seats taken through allotments counted).</summary>
    public SessionState Settled => State.Settled(Allotments.Select(a => a.Allotment));
}

/// <summary>An allotment row as read or written, with its ETag.</summary>
public sealed record AllotmentRow(Allotment Allotment, ETag ETag);

/// <summary>
/// A <see cref="Session"/> as the store loaded it, with the versions (ETags) its writes are
/// guarded by. Only <see cref="SessionStore"/> reads the versions.
/// </summary>
public sealed class LoadedSession
{
    internal LoadedSession(Session session, SessionVersions versions)
    {
        Session = session;
        Versions = versions;
    }

    public Session Session { get; }

    internal SessionVersions Versions { get; }

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

    /// <summary>A session over a counter (and allotments) this instance already holds: nothing else loaded.</summary>
    public static LoadedSession FromSnapshot(SessionSnapshot snapshot) =>
        new(new Session(snapshot.State, allotments: snapshot.Allotments.Select(a => a.Allotment)),
            new SessionVersions(snapshot.ETag, new Dictionary<string, ETag>(StringComparer.Ordinal),
                snapshot.Allotments.ToDictionary(a => a.Allotment.Index, a => a.ETag)));
}
