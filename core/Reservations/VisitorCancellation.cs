using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Tickets;

namespace FestivalReservations.Core.Reservations;

/// <summary>A visitor cancels their own reservation (code and phone), until the session starts.</summary>
public sealed class VisitorCancellation(OwnedReservations owned, Cancellation cancellation, TicketSigner tickets)
{
    public async Task<Result<ReservationView>> CancelAsync(string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        var found = await owned.FindAsync(code, request, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (reservation, festival) = found.Value;
        var cancelled = await cancellation.CancelAsync(festival, reservation.SessionId, reservation.Code, CancelledBy.Visitor, null, cancellationToken);
        return cancelled.IsSuccess ? cancelled.Value.ToView(festival, null, tickets) : cancelled.Error;
    }
}
