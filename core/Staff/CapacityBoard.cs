using System.Collections.Concurrent;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Staff;

/// <summary>Staff watch capacity: every session of a festival day with its numbers, each read fresh from its counter.</summary>
public sealed class CapacityBoard(CatalogService catalog, SessionStore sessions, TimeProvider clock)
{
    private const int ReadParallelism = 16;

    public async Task<Result<CapacityView>> GetCapacityAsync(string? date, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(date) || !FestivalTime.TryParseDate(date, out var day))
        {
            return DomainError.Validation("date", "date must be YYYY-MM-DD.");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var wanted = festival.Sessions.Where(s => s.Date == day).ToList();
        var states = new ConcurrentDictionary<string, SessionState>();
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (session, ct) =>
            {
                if (await sessions.GetStateAsync(session.SessionId, ct) is { } state)
                {
                    states[session.SessionId] = state;
                }
            });

        var now = clock.GetUtcNow();
        var views = wanted
            .Where(s => states.ContainsKey(s.SessionId))
            .OrderBy(s => s.Start).ThenBy(s => s.ProgramId, StringComparer.Ordinal)
            .Select(s => states[s.SessionId].ToStaffView(festival, now))
            .ToList();
        var totals = new CapacityTotals(
            views.Sum(v => v.Capacity), views.Sum(v => v.Reserved), views.Sum(v => v.Remaining),
            views.Sum(v => v.Waitlisted), views.Sum(v => v.CheckedIn));
        return new CapacityView(FestivalTime.FormatDate(day), totals, views);
    }
}
