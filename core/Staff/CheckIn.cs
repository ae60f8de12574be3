using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Tickets;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// Staff check a confirmed reservation in at the bridge, by typed code or scanned ticket (a forged
/// ticket is unknown): its status and time, and the session's checked-in count, in one transaction
/// (<see cref="Session.CheckIn"/>). A scan made offline keeps its own time and device; a second
/// scan is told when the first one was, and on which device.
/// </summary>
public sealed class CheckIn(
    CatalogService catalog, TicketLocator locator, SessionChanges changes, SessionCounterCache counters, TicketSigner tickets,
    TimeProvider clock, ILogger<CheckIn> logger)
{
    public Task<Result<ReservationView>> CheckInAsync(string codeOrTicket, CancellationToken cancellationToken) =>
        CheckInAsync(codeOrTicket, CheckInScan.None, cancellationToken);

    public async Task<Result<ReservationView>> CheckInAsync(string codeOrTicket, CheckInScan scan, CancellationToken cancellationToken)
    {
        if (ScanRule.Validate(scan, clock.GetUtcNow()) is { } invalid)
        {
            return invalid;
        }

        if (await locator.LocateAsync(codeOrTicket, cancellationToken) is not var (sessionId, key))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        if (ScanRule.CheckSession(scan, sessionId, festival) is { } elsewhere)
        {
            return elsewhere;
        }

        var device = scan.Device?.Trim();
        var result = await changes.RunAsync(sessionId, new SessionLoad { ReservationCode = key },
            (session, now) => session.CheckIn(key, scan.ScannedAt is { } at && at < now ? at : now, device), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        counters.Forget(sessionId);
        logger.LogInformation("Reservation {Code} checked in to {SessionId} with {Seats} people (scanned offline: {Offline})",
            ReservationCode.Display(key), sessionId, result.Value.PartySize, scan.ScannedAt is not null);
        return result.Value.ToView(festival, null, tickets);
    }
}
