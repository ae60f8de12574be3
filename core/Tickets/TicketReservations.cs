using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Tickets;

/// <summary>
/// What the ticket page does without the phone: the ticket is the credential. Show the reservation,
/// cancel it (the visitor's rules: until the session starts), turn its reminder SMS off or on.
/// A ticket that does not verify is not found.
/// </summary>
public sealed class TicketReservations(
    CatalogService catalog, TicketLocator locator, SessionStore sessions, SessionChanges changes, Cancellation cancellation,
    TicketSigner tickets, ILogger<TicketReservations> logger)
{
    public async Task<Result<ReservationView>> GetAsync(string ticket, CancellationToken cancellationToken)
    {
        if (await locator.LocateTicketAsync(ticket, cancellationToken) is not var (sessionId, code)
            || await sessions.LoadAsync(sessionId, new SessionLoad { ReservationCode = code, Waitlist = true }, cancellationToken) is not { } loaded
            || loaded.Session.Find(code) is not { } reservation)
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        return reservation.ToView(festival, loaded.Session.WaitlistPosition(reservation), tickets);
    }

    public async Task<Result<ReservationView>> CancelAsync(string ticket, CancellationToken cancellationToken)
    {
        if (await locator.LocateTicketAsync(ticket, cancellationToken) is not var (sessionId, code))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var cancelled = await cancellation.CancelAsync(festival, sessionId, code, CancelledBy.Visitor, null, cancellationToken);
        return cancelled.IsSuccess ? cancelled.Value.ToView(festival, null, tickets) : cancelled.Error;
    }

    public async Task<Result<ReservationView>> SetRemindersAsync(string ticket, bool enabled, CancellationToken cancellationToken)
    {
        if (await locator.LocateTicketAsync(ticket, cancellationToken) is not var (sessionId, code))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var result = await changes.RunAsync(sessionId, new SessionLoad { ReservationCode = code },
            (session, _) => session.SetReminders(code, enabled), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        logger.LogInformation("Reservation {Code} reminders {State}", ReservationCode.Display(code), enabled ? "on" : "off");
        return result.Value.ToView(festival, null, tickets);
    }
}
