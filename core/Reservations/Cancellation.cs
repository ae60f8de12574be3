using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// The one cancellation, for visitors and staff: the reservation cancelled, its seats given to the
/// waitlist in the same change, the cancelled SMS owed (<see cref="Session.Cancel"/>); then the
/// phone's day no longer holds the session (<see cref="PhoneDayHolds"/>).
/// </summary>
public sealed class Cancellation(
    SessionChanges changes, PhoneHasher phoneHasher, Queries.SessionCounterCache counters, PhoneDayHolds phoneDays, ILogger<Cancellation> logger)
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
            await FreePhoneDayAsync(festival, result.Value);
        }

        return result;
    }

    /// <summary>The cancellation stands whatever happens here: a hold not dropped now is doubted and dropped once its grace is over.</summary>
    private async Task FreePhoneDayAsync(Festival festival, Reservation cancelled)
    {
        if (festival.FindSession(cancelled.SessionId) is not { } session || string.IsNullOrEmpty(cancelled.Phone) || !cancelled.Phone.StartsWith('+'))
        {
            return;
        }

        try
        {
            await phoneDays.ReleaseSessionAsync(phoneHasher.Hash(cancelled.Phone), session.Date, cancelled.SessionId, CancellationToken.None);
        }
        catch (Exception e) when (Storage.StorageFailure.IsTransient(e))
        {
            logger.LogWarning(e, "Could not free the phone's day of {SessionId}; the hold lapses after {Grace}", cancelled.SessionId, PhoneDayHolds.Grace);
        }
    }
}
