using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// The one cancellation, for visitors and staff: the reservation cancelled, its seats given to the
/// waitlist in the same change, the cancelled SMS owed (<see cref="Session.Cancel"/>).
/// </summary>
public sealed class Cancellation(SessionChanges changes, PhoneHasher phoneHasher, Queries.SessionCounterCache counters, ILogger<Cancellation> logger)
{
    public async Task<Result<Reservation>> CancelAsync(
        Festival festival, string sessionId, string code, CancelledBy by, string? reason, CancellationToken cancellationToken)
    {
        var skipAhead = festival.SkipsAhead(sessionId);
        var result = await changes.RunAsync(sessionId, new SessionLoad { ReservationCode = code, Waitlist = true },
            (session, now) => session.Cancel(code, by, reason, skipAhead, phoneHasher.Hash, now),
            cancellationToken,
            rest: (session, now) => session.PromoteWaitlist(skipAhead, now));
        if (result.IsSuccess)
        {
            counters.Forget(sessionId);
            logger.LogInformation("Reservation {Code} cancelled in {SessionId} by {Actor}", ReservationCode.Display(code), sessionId, by);
        }

        return result;
    }
}
