using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Core.Sessions;

/// <summary>What a change did to a session's rows, in domain terms; only the storage layer turns it into table operations.</summary>
public abstract record SessionEvent;

/// <summary>A new reservation (confirmed or waitlisted).</summary>
public sealed record ReservationAdded(Reservation Reservation) : SessionEvent;

/// <summary>A loaded reservation written whole in its new form (check-in, cancel, no-show, erasure).</summary>
public sealed record ReservationUpdated(Reservation Reservation) : SessionEvent;

/// <summary>A waitlisted reservation that got seats: only its status and the time change.</summary>
public sealed record ReservationPromoted(string Code, DateTimeOffset At) : SessionEvent;

/// <summary>The row that keeps a phone to one active reservation in the session.</summary>
public sealed record PhoneMarkerAdded(string PhoneHash, string Code) : SessionEvent;

public sealed record PhoneMarkerRemoved(string PhoneHash) : SessionEvent;

public sealed record WaitlistTicketAdded(WaitlistTicket Ticket) : SessionEvent;

public sealed record WaitlistTicketRemoved(long Seq) : SessionEvent;

/// <summary>A ticket whose reservation left its phone's row (erasure): it names the reservation's row under its code from now on.</summary>
public sealed record WaitlistTicketMoved(WaitlistTicket Ticket) : SessionEvent;

/// <summary>What <see cref="Session.ErasePersonalData"/> erased: reservations blanked, phone rows removed, waitlist tickets pointed away from them.</summary>
public sealed record PartitionErasure(int Reservations, int Markers, int Tickets);

/// <summary>An SMS the change owes its visitor: written with the change (the outbox), sent after it.</summary>
public sealed record SmsOwed(OutboxMessage Message) : SessionEvent;

/// <summary>
/// One consistent unit of change: the counter as it stands after it, and the rows it touched. The
/// store writes whole steps only, as many per transaction as fit, each transaction with the counter
/// of its last step.
/// </summary>
public sealed record SessionStep(SessionState Before, SessionState After, IReadOnlyList<SessionEvent> Events)
{
    /// <summary>The allotment rows this step changed (before is null for a row it creates).</summary>
    public IReadOnlyList<AllotmentChange> Allotments { get; init; } = [];

    /// <summary>Whether this step writes the counter.</summary>
    public bool ChangesCounter => Before != After;
}

/// <summary>An allotment row as one step changed it.</summary>
public sealed record AllotmentChange(Allotment? Before, Allotment After);
