namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>A waitlist ticket: who waits, with how many people, in what order.</summary>
public sealed record WaitlistTicket(long Seq, string Code, int PartySize);

/// <summary>
/// Freed seats go to the waitlist in order. Strict (the default): the first in line takes seats if
/// its whole party fits; if it does not, it waits for more and everyone behind it waits too.
/// Skip-ahead (per program): a smaller party further back takes seats it fits.
/// </summary>
public static class WaitlistPromotionRule
{
    public static IReadOnlyList<WaitlistTicket> Select(IEnumerable<WaitlistTicket> lineInOrder, int freeSeats, bool skipAhead, int max = int.MaxValue)
    {
        var promoted = new List<WaitlistTicket>();
        foreach (var ticket in lineInOrder)
        {
            if (promoted.Count == max)
            {
                break;
            }

            if (ticket.PartySize <= freeSeats)
            {
                promoted.Add(ticket);
                freeSeats -= ticket.PartySize;
            }
            else if (!skipAhead)
            {
                break;
            }
        }

        return promoted;
    }
}
