using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Catalog;

/// <summary>Reads a catalog document, checks every rule a season must satisfy, and expands its sessions.</summary>
public static partial class CatalogReader
{
    public const int MinCapacity = 1;
    public const int MaxCapacity = 10_000;
    public const int MaxPartySizeLimit = 10;

    public static Result<Festival> Parse(string json)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, JsonPolicies.Contract);
        }
        catch (JsonException e)
        {
            return DomainError.Validation("catalog", $"The catalog is not valid JSON: {e.Message}");
        }

        return document is null ? DomainError.Validation("catalog", "The catalog is empty.") : Read(document);
    }

    public static Result<Festival> Read(CatalogDocument document)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (!Slug().IsMatch(document.FestivalId ?? ""))
        {
            Fail("festivalId", "festivalId must be a kebab-case slug.");
        }

        FestivalTime? time = null;
        try
        {
            time = new FestivalTime(document.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            Fail("timeZone", $"Unknown time zone '{document.TimeZone}'.");
        }

        var dates = new List<DateOnly>();
        foreach (var text in document.Dates ?? [])
        {
            if (FestivalTime.TryParseDate(text, out var date))
            {
                dates.Add(date);
            }
            else
            {
                Fail("dates", $"'{text}' is not a YYYY-MM-DD date.");
            }
        }

        if (dates.Count == 0)
        {
            Fail("dates", "The festival needs at least one date.");
        }

        var opens = ParseTime(document.OpeningHours?.Start);
        var closes = ParseTime(document.OpeningHours?.End);
        if (opens is null || closes is null || opens >= closes)
        {
            Fail("openingHours", "openingHours needs start and end as HH:mm, start before end.");
        }

        var bookingAt = ParseTime(document.BookingOpens?.Time);
        if (document.BookingOpens is null || bookingAt is null || document.BookingOpens.DaysBefore is < 0 or > 60)
        {
            Fail("bookingOpens", "bookingOpens needs daysBefore (0-60) and time as HH:mm.");
        }

        if (document.Name is null || string.IsNullOrWhiteSpace(document.Name.Ko) || string.IsNullOrWhiteSpace(document.Name.En))
        {
            Fail("name", "The festival needs a Korean and an English name.");
        }

        if (ReviewProblem(document.NeedsNativeReview, new() { ["name"] = document.Name, ["venue"] = document.Venue }) is { } festivalReview)
        {
            Fail("needsNativeReview", festivalReview);
        }

        var programs = new List<FestivalProgram>();
        var seen = new HashSet<string>();
        for (var i = 0; i < (document.Programs?.Count ?? 0); i++)
        {
            var program = document.Programs![i];
            var field = $"programs[{i}]";
            if (program.ProgramId is null || !Slug().IsMatch(program.ProgramId))
            {
                Fail(field, "programId must be a kebab-case slug.");
                continue;
            }

            if (!seen.Add(program.ProgramId))
            {
                Fail(field, $"programId '{program.ProgramId}' appears twice.");
            }

            if (!Theme.IsKnown(program.Theme))
            {
                Fail(field, $"theme must be one of {string.Join(", ", Theme.All)}.");
            }

            if (!IsComplete(program.Title) || !IsComplete(program.Description) || !IsComplete(program.Location))
            {
                Fail(field, "title, description and location need Korean and English text.");
            }

            if (ReviewProblem(program.NeedsNativeReview,
                    new() { ["title"] = program.Title, ["description"] = program.Description, ["location"] = program.Location }) is { } review)
            {
                Fail(field, review);
            }

            if (program.DurationMinutes is < 10 or > 600)
            {
                Fail(field, "durationMinutes must be between 10 and 600.");
            }

            if (program.MaxPartySize < 1 || program.MaxPartySize > MaxPartySizeLimit)
            {
                Fail(field, $"maxPartySize must be between 1 and {MaxPartySizeLimit}.");
            }

            if (time is null || opens is null || closes is null || bookingAt is null || errors.ContainsKey(field))
            {
                continue;
            }

            var sessions = ExpandSessions(document, program, dates, time, opens.Value, closes.Value, bookingAt.Value, msg => Fail(field, msg));
            programs.Add(new FestivalProgram(program.ProgramId, program.Theme, program.Title, program.Description,
                program.Location, program.DurationMinutes, program.MaxPartySize, program.WaitlistSkipAhead, sessions));
        }

        if (errors.Count > 0)
        {
            return DomainError.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        return new Festival(document, programs);
    }

    private static List<SessionDefinition> ExpandSessions(
        CatalogDocument document, ProgramDocument program, List<DateOnly> festivalDates, FestivalTime time,
        TimeOnly opens, TimeOnly closes, TimeOnly bookingAt, Action<string> fail)
    {
        var sessions = new Dictionary<string, SessionDefinition>();
        foreach (var schedule in program.Sessions ?? [])
        {
            if (schedule.Capacity is < MinCapacity or > MaxCapacity)
            {
                fail($"capacity must be between {MinCapacity} and {MaxCapacity}.");
                continue;
            }

            var dates = schedule.Dates is null ? festivalDates.Select(d => (DateOnly?)d).ToList() : schedule.Dates.Select(ParseDate).ToList();
            foreach (var date in dates)
            {
                if (date is not { } day || !festivalDates.Contains(day))
                {
                    fail("a session date is not one of the festival's dates.");
                    continue;
                }

                foreach (var startText in schedule.Times ?? [])
                {
                    if (ParseTime(startText) is not { } start
                        || start < opens
                        || start.AddMinutes(program.DurationMinutes) > closes
                        || start.AddMinutes(program.DurationMinutes) < start)
                    {
                        fail($"session time '{startText}' must be HH:mm and run within opening hours.");
                        continue;
                    }

                    var id = SessionDefinition.IdFor(program.ProgramId, day, start);
                    var startsAt = time.At(day, start);
                    var lottery = LotteryOf(program, schedule, day, startsAt, time, id, fail);
                    var definition = new SessionDefinition(id, program.ProgramId, day, startsAt,
                        startsAt.AddMinutes(program.DurationMinutes), schedule.Capacity,
                        time.At(day.AddDays(-document.BookingOpens.DaysBefore), bookingAt)) { Lottery = lottery };
                    if (!sessions.TryAdd(id, definition))
                    {
                        fail($"session {id} is defined twice.");
                    }
                }
            }
        }

        return sessions.Values.OrderBy(s => s.Start).ToList();
    }

    /// <summary>
    /// The session's lottery window (the schedule's allocation and window over the program's), or
    /// null for a first-come session; a lottery without a window, or with one that makes no sense
    /// (<see cref="Lotteries.LotteryRules.WindowProblem"/>), fails.
    /// </summary>
    private static Lotteries.LotteryWindow? LotteryOf(ProgramDocument program, ScheduleDocument schedule, DateOnly day,
        DateTimeOffset start, FestivalTime time, string sessionId, Action<string> fail)
    {
        var allocation = schedule.Allocation ?? program.Allocation;
        if (!Lotteries.Allocation.IsKnown(allocation))
        {
            fail($"allocation must be {Lotteries.Allocation.FirstCome} or {Lotteries.Allocation.Lottery}.");
            return null;
        }

        if (allocation != Lotteries.Allocation.Lottery)
        {
            return null;
        }

        if ((schedule.Lottery ?? program.Lottery) is not { } document)
        {
            fail($"session {sessionId} is a lottery and needs lottery: {{ entriesOpenAt, entriesCloseAt, drawAt }}.");
            return null;
        }

        var opens = ParseLotteryTime(document.EntriesOpenAt, day, time);
        var closes = ParseLotteryTime(document.EntriesCloseAt, day, time);
        var draw = ParseLotteryTime(document.DrawAt, day, time);
        if (opens is null || closes is null || draw is null)
        {
            fail("lottery times must be festival-local instants with their offset (2024-09-02T10:00:00+09:00) or relative to the session's date (D-6 10:00).");
            return null;
        }

        var window = new Lotteries.LotteryWindow(opens.Value, closes.Value, draw.Value);
        if (Lotteries.LotteryRules.WindowProblem(window, start) is { } problem)
        {
            fail($"session {sessionId}: {problem}");
            return null;
        }

        return window;
    }

    private static DateTimeOffset? ParseLotteryTime(string? text, DateOnly day, FestivalTime time)
    {
        if (text is null)
        {
            return null;
        }

        if (RelativeTime().Match(text) is { Success: true } relative)
        {
            var days = int.Parse(relative.Groups[1].Value, CultureInfo.InvariantCulture);
            return ParseTime(relative.Groups[2].Value) is { } at && days <= 60 ? time.At(day.AddDays(-days), at) : null;
        }

        return text.Length >= 20 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : null;
    }

    [GeneratedRegex("^D-([0-9]{1,2}) ([0-9]{2}:[0-9]{2})$")]
    private static partial Regex RelativeTime();

    /// <summary>
    /// A translation marked for review must exist: the marker names a translated language
    /// (zh, ja) and fields of this object that carry that language's text.
    /// </summary>
    private static string? ReviewProblem(IReadOnlyDictionary<string, IReadOnlyList<string>>? markers, Dictionary<string, LocalizedText?> fields)
    {
        foreach (var (language, names) in markers ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (!Languages.Translations.Contains(language))
            {
                return $"needsNativeReview names '{language}'; translations are {string.Join(", ", Languages.Translations)}.";
            }

            foreach (var name in names ?? [])
            {
                if (!fields.TryGetValue(name, out var text))
                {
                    return $"needsNativeReview.{language} names '{name}'; the fields are {string.Join(", ", fields.Keys)}.";
                }

                if (string.IsNullOrWhiteSpace(text?.Own(language)))
                {
                    return $"needsNativeReview.{language} marks '{name}', which has no '{language}' text.";
                }
            }
        }

        return null;
    }

    private static bool IsComplete(LocalizedText? text) =>
        text is not null && !string.IsNullOrWhiteSpace(text.Ko) && !string.IsNullOrWhiteSpace(text.En);

    private static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static DateOnly? ParseDate(string? text) => FestivalTime.TryParseDate(text, out var d) ? d : null;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}
