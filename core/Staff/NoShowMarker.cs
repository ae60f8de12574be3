using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// After a session has ended, its confirmed reservations that nobody checked in become no-shows.
/// Their seats leave Reserved (so Reserved stays the sum of confirmed and checked-in parties) and
/// are counted in NoShows instead, in the same transaction. Sessions whose counter shows no
/// confirmed seats left (Reserved == CheckedIn) cost one read and nothing else.
/// </summary>
public sealed class NoShowMarker(
    CatalogService catalog,
    SessionStore sessions,
    SessionChanges changes,
    SessionCounterCache counters,
    TimeProvider clock,
    ILogger<NoShowMarker> logger)
{
    /// <summary>Reservations updated per transaction (the counter takes one of the 100 operations).</summary>
    public const int BatchSize = 90;

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
        var total = 0;
        while (true)
        {
            var state = await sessions.GetStateAsync(sessionId, cancellationToken);
            if (state is null || state.Reserved <= state.CheckedIn || clock.GetUtcNow() < state.End)
            {
                break;
            }

            var result = await changes.RunAsync<int>(sessionId, async (snapshot, now) =>
            {
                if (now < snapshot.State.End)
                {
                    return new SessionChange<int>(snapshot.State, [], [], 0);
                }

                var rows = new List<TableTransactionAction>();
                var people = 0;
                await foreach (var row in sessions.QueryPrefixAsync(sessionId, SessionRows.ReservationPrefix, cancellationToken))
                {
                    if (row.GetString("Status") != ReservationStatus.Confirmed)
                    {
                        continue;
                    }

                    var reservation = SessionEntities.ToReservation(row);
                    rows.Add(new(TableTransactionActionType.UpdateReplace,
                        SessionEntities.ToEntity(reservation with { Status = ReservationStatus.NoShow }), row.ETag));
                    people += reservation.PartySize;
                    if (rows.Count == BatchSize)
                    {
                        break;
                    }
                }

                var next = snapshot.State with
                {
                    Reserved = snapshot.State.Reserved - people,
                    NoShows = snapshot.State.NoShows + people,
                };
                return new SessionChange<int>(next, rows, new List<OutboxMessage>(), rows.Count);
            }, cancellationToken);

            if (!result.IsSuccess || result.Value == 0)
            {
                break;
            }

            total += result.Value;
            counters.Forget(sessionId);
            logger.LogInformation("Marked {Count} reservations of {SessionId} as no-show", result.Value, sessionId);
        }

        return total;
    }
}
