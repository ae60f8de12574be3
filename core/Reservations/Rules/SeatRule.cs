using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Rules;

public enum Admission
{
    Confirmed,
    Waitlisted,
}

/// <summary>
/// Seats are never oversold. A party gets seats only if all of it fits, and not ahead of parties
/// already waiting (unless the program lets smaller parties skip ahead). Otherwise it may join the
/// waitlist, which holds at most as many people as the session has seats.
/// </summary>
public static class SeatRule
{
    public static Result<Admission> Admit(SessionState session, int partySize, bool joinWaitlist, bool skipAhead)
    {
        var queueAhead = session.WaitlistParties > 0 && !skipAhead;
        if (!queueAhead && partySize <= session.Remaining)
        {
            return Admission.Confirmed;
        }

        if (!joinWaitlist)
        {
            return new DomainError(ErrorCode.SessionFull,
                $"Not enough seats left: {session.Remaining} remaining for a party of {partySize}.");
        }

        if (session.Waitlisted + partySize > WaitlistLimit(session))
        {
            return new DomainError(ErrorCode.SessionFull, "The session and its waitlist are full.");
        }

        return Admission.Waitlisted;
    }

    /// <summary>
    /// A refusal decided before anything is held or queued: the session as last seen (at most a
    /// second old, or just written by this instance) is open for booking, has no free seat, and this
    /// party could not join its waitlist either. Null: the commit decides, over the counter itself.
    /// Only "full" is decided early, never an admission, and only the refusal the commit would give
    /// on the seen counter; a seat that came back within the second is offered to the next request.
    /// </summary>
    public static DomainError? SeenFull(SessionState seen, int partySize, bool joinWaitlist, bool skipAhead, DateTimeOffset now) =>
        seen.StatusAt(now) == SessionStatus.Full && Admit(seen, partySize, joinWaitlist, skipAhead) is { IsSuccess: false } refused
            ? refused.Error
            : null;

    /// <summary>The waitlist holds at most as many people as the session has seats.</summary>
    public static int WaitlistLimit(SessionState session) => session.Capacity;
}
