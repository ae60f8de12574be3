using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;

namespace FestivalReservations.Core.Staff;

/// <summary>A session's attendee list: every reservation in order of creation, waitlisted ones with their place in line; phones masked.</summary>
public sealed class AttendeeList(CatalogService catalog, SessionStore sessions, TicketSigner tickets)
{
    public async Task<Result<IReadOnlyList<ReservationView>>> ListReservationsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is null)
        {
            return DomainError.NotFound("session");
        }

        if (await sessions.LoadAsync(sessionId, new SessionLoad { AllReservations = true, Waitlist = true }, cancellationToken) is not { } loaded)
        {
            return Array.Empty<ReservationView>();
        }

        var session = loaded.Session;
        // In order of creation; reservations made in the same instant keep their place in line.
        var list = session.Reservations
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.WaitlistSeq ?? 0).ThenBy(r => r.Code, StringComparer.Ordinal);
        return list.Select(r => r.ToView(festival, session.WaitlistPosition(r), tickets)).ToList();
    }
}
