using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;

namespace FestivalReservations.Core.Reservations;

/// <summary>A visitor looks their reservation up by code and phone; a waitlisted one comes with its place in line.</summary>
public sealed class ReservationLookup(OwnedReservations owned, SessionStore sessions, TicketSigner tickets)
{
    public async Task<Result<ReservationView>> LookupAsync(string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        var found = await owned.FindAsync(code, request, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (reservation, festival) = found.Value;
        int? position = null;
        if (reservation.Status == ReservationStatus.Waitlisted
            && await sessions.LoadAsync(reservation.SessionId, new SessionLoad { Waitlist = true }, cancellationToken) is { } loaded)
        {
            position = loaded.Session.WaitlistPosition(reservation);
        }

        return reservation.ToView(festival, position, tickets);
    }
}
