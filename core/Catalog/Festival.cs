using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Catalog;

/// <summary>The festival with its programs and every session they hold, read from a validated catalog.</summary>
public sealed class Festival
{
    private readonly Dictionary<string, FestivalProgram> _programs;
    private readonly Dictionary<string, SessionDefinition> _sessions;

    public Festival(CatalogDocument document, IReadOnlyList<FestivalProgram> programs)
    {
        Document = document;
        Time = new FestivalTime(document.TimeZone);
        Dates = document.Dates.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd")).Order().ToArray();
        Programs = programs;
        _programs = programs.ToDictionary(p => p.ProgramId);
        _sessions = programs.SelectMany(p => p.Sessions).ToDictionary(s => s.SessionId);
    }

    public CatalogDocument Document { get; }

    public string FestivalId => Document.FestivalId;

    public FestivalTime Time { get; }

    public IReadOnlyList<DateOnly> Dates { get; }

    public IReadOnlyList<FestivalProgram> Programs { get; }

    public IEnumerable<SessionDefinition> Sessions => _sessions.Values;

    public FestivalProgram? FindProgram(string programId) => _programs.GetValueOrDefault(programId);

    public SessionDefinition? FindSession(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    /// <summary>Whether the session's program lets smaller waitlisted parties take seats ahead of larger ones.</summary>
    public bool SkipsAhead(string sessionId) =>
        FindSession(sessionId) is { } s && FindProgram(s.ProgramId)?.WaitlistSkipAhead == true;
}
