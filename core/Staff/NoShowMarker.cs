using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// After a session has ended, its confirmed reservations that nobody checked in become no-shows
/// (<see cref="Session.MarkNoShows"/>). Sessions whose counter shows no confirmed seats left
/// (Reserved == CheckedIn) cost one read and nothing else.
/// </summary>
public sealed class NoShowMarker(
    CatalogService catalog,
    SessionStore sessions,
    SessionChanges changes,
    SessionCounterCache counters,
    TimeProvider clock,
    ILogger<NoShowMarker> logger)
{
    /// <summary>Marks every ended session's remaining confirmed reservations; returns how many reservations it marked.</summary>
    public async Task<int> MarkEndedSessionsAsync(CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var marked = 0;
        foreach (var session in festival.Sessions.Where(s => s.End <= now).OrderBy(s => s.End))
        {
            marked += await MarkSessionAsync(session.SessionId, cancellationToken);
        }

        return marked;
    }

    public async Task<int> MarkSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var state = await sessions.GetStateAsync(sessionId, cancellationToken);
        if (state is null || state.Reserved <= state.CheckedIn || clock.GetUtcNow() < state.End)
        {
            return 0;
        }

        var result = await changes.RunAsync<int>(sessionId, new SessionLoad { AllReservations = true },
            (session, now) => session.MarkNoShows(now), cancellationToken, rest: (session, now) => session.MarkNoShows(now));
        if (!result.IsSuccess || result.Value == 0)
        {
            return 0;
        }

        counters.Forget(sessionId);
        logger.LogInformation("Marked {Count} reservations of {SessionId} as no-show", result.Value, sessionId);
        return result.Value;
    }
}
