using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// A validated request on its way into a session: the reservation to write, if admitted. Its code
/// is given on admission (<see cref="Sessions.Session.Reserve"/>): refusals never take one.
/// </summary>
public sealed record ReservationDraft(Reservation Reservation, string PhoneHash, bool JoinWaitlist, bool SkipAhead)
{
    public string SessionId => Reservation.SessionId;
}

/// <summary>A reservation as committed, with the SMS it owes and, when waitlisted, its place in line.</summary>
public sealed record CommittedReservation(Reservation Reservation, OutboxMessage Message, int? WaitlistPosition)
{
    /// <summary>The committer has already handed the SMS to the dispatcher (with the rest of its transaction's).</summary>
    public bool Dispatching { get; init; }

    /// <summary>When not <see cref="Dispatching"/>: the outbox row(s) its transaction wrote, for the caller to dispatch.</summary>
    public IReadOnlyList<OutboxRow> Outbox { get; init; } = [];
}
