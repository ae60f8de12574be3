using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Queries;

/// <summary>What visitors browse: the festival, its programs with live seats, one session.</summary>
public sealed class FestivalQueries(CatalogService catalog, SessionCounterCache counters, TimeProvider clock)
{
    public async Task<FestivalView> GetFestivalAsync(CancellationToken cancellationToken) =>
        (await catalog.GetAsync(cancellationToken)).ToView();

    public async Task<Result<IReadOnlyList<ProgramView>>> ListProgramsAsync(string? date, string? theme, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        DateOnly? day = null;
        if (date is not null)
        {
            if (FestivalTime.TryParseDate(date, out var parsed))
            {
                day = parsed;
            }
            else
            {
                errors["date"] = ["date must be YYYY-MM-DD."];
            }
        }

        if (theme is not null && !Theme.IsKnown(theme))
        {
            errors["theme"] = [$"theme must be one of {string.Join(", ", Theme.All)}."];
        }

        if (errors.Count > 0)
        {
            return DomainError.Validation(errors);
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var programs = festival.Programs.Where(p => theme is null || p.Theme == theme).ToList();
        var wanted = programs.SelectMany(p => p.Sessions).Where(s => day is null || s.Date == day).ToList();
        var states = await counters.GetManyAsync(wanted.Select(s => s.SessionId), cancellationToken);
        var now = clock.GetUtcNow();
        return programs
            .Select(p => p.ToView(p.Sessions
                .Where(s => (day is null || s.Date == day) && states.ContainsKey(s.SessionId))
                .Select(s => states[s.SessionId].ToView(festival.Time, now))
                .ToList()))
            .Where(p => day is null || p.Sessions.Count > 0)
            .ToList();
    }

    public async Task<Result<SessionDetailView>> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is not { } session
            || festival.FindProgram(session.ProgramId) is not { } program
            || await counters.GetAsync(sessionId, cancellationToken) is not { } state)
        {
            return DomainError.NotFound("session");
        }

        return state.ToDetailView(program, festival.Time, clock.GetUtcNow());
    }
}
