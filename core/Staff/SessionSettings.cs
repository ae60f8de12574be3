using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// Staff set a session's capacity and/or close or reopen it. Capacity never goes below the seats
/// taken; seats it adds go to the waitlist in the same change (unless booking is closed).
/// </summary>
public sealed class SessionSettings(
    CatalogService catalog, SessionChanges changes, SessionCounterCache counters, TimeProvider clock, ILogger<SessionSettings> logger)
{
    public async Task<Result<StaffSessionView>> UpdateSessionAsync(string sessionId, SessionUpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Capacity is null && request.Closed is null)
        {
            return DomainError.Validation("body", "Send capacity, closed or both.");
        }

        if (request.Capacity is { } wanted && wanted is < CatalogReader.MinCapacity or > CatalogReader.MaxCapacity)
        {
            return DomainError.Validation("capacity", $"capacity must be between {CatalogReader.MinCapacity} and {CatalogReader.MaxCapacity}.");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is null)
        {
            return DomainError.NotFound("session");
        }

        var skipAhead = festival.SkipsAhead(sessionId);
        var result = await changes.RunAsync<Reservations.SessionState>(sessionId, new SessionLoad { Waitlist = true, Allotments = true }, (session, now) =>
        {
            if (request.Capacity is { } capacity && session.SetCapacity(capacity) is { } below)
            {
                return below;
            }

            if (request.Closed is { } closed)
            {
                session.SetClosed(closed);
            }

            session.PromoteWaitlist(skipAhead, now);
            return session.State;
        }, cancellationToken, rest: (session, now) => session.PromoteWaitlist(skipAhead, now));
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        counters.Forget(sessionId);
        var final = result.Value;
        logger.LogInformation("Session {SessionId} set to capacity {Capacity}, closed {Closed}; {Reserved} reserved, {Waitlisted} waiting",
            sessionId, final.Capacity, final.Closed, final.Reserved, final.Waitlisted);
        return final.ToStaffView(festival, clock.GetUtcNow());
    }
}
