using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Sessions;
using Microsoft.Extensions.Logging;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// Staff check a confirmed reservation in at the bridge: its status and time, and the session's
/// checked-in count, in one transaction (<see cref="Session.CheckIn"/>). A second scan is told when the first one was.
/// </summary>
public sealed class CheckIn(
    CatalogService catalog, CodeDirectory codes, SessionChanges changes, SessionCounterCache counters, ILogger<CheckIn> logger)
{
    public async Task<Result<ReservationView>> CheckInAsync(string code, CancellationToken cancellationToken)
    {
        if (await codes.LocateAsync(code, cancellationToken) is not var (sessionId, key))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var result = await changes.RunAsync(sessionId, new SessionLoad { ReservationCode = key },
            (session, now) => session.CheckIn(key, now), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        counters.Forget(sessionId);
        logger.LogInformation("Reservation {Code} checked in to {SessionId} with {Seats} people",
            ReservationCode.Display(key), sessionId, result.Value.PartySize);
        return result.Value.ToView(festival, null);
    }
}
