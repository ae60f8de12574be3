using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Core.Lotteries;

public enum DrawOutcome
{
    Won,
    Waitlisted,
    NotSelected,
}

/// <summary>
/// The draw's decision for the next entry in draw order: seats while its whole party fits (a party
/// that does not fit is skipped, not stopped at: the next smaller one may still fit), else the
/// waitlist in draw order while it has room (bounded as for first-come: as many people as the
/// session has seats), else not selected.
/// </summary>
public static class DrawRule
{
    public static DrawOutcome Decide(SessionState session, int partySize) =>
        partySize <= session.Remaining ? DrawOutcome.Won
        : session.Waitlisted + partySize <= SeatRule.WaitlistLimit(session) ? DrawOutcome.Waitlisted
        : DrawOutcome.NotSelected;
}
