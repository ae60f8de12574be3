using FestivalReservations.Core.Localization;

namespace FestivalReservations.Core.Catalog;

/// <summary>The catalog file's shape (functions/catalog/*.json, and the body of PUT /api/staff/catalog).</summary>
public sealed record CatalogDocument
{
    public string FestivalId { get; init; } = "";
    public LocalizedText Name { get; init; } = new("", "");
    public LocalizedText Venue { get; init; } = new("", "");
    public string TimeZone { get; init; } = "Asia/Seoul";
    public IReadOnlyList<string> Dates { get; init; } = [];
    public HoursDocument OpeningHours { get; init; } = new("13:00", "21:00");
    public BookingOpensDocument BookingOpens { get; init; } = new(6, "10:00");
    public IReadOnlyList<ProgramDocument> Programs { get; init; } = [];

    /// <summary>The festival's translated fields (name, venue) that still want a native speaker's review, by language.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? NeedsNativeReview { get; init; }
}

public sealed record HoursDocument(string Start, string End);

/// <summary>Booking opens this many days before the festival day, at this local time.</summary>
public sealed record BookingOpensDocument(int DaysBefore, string Time);

public sealed record ProgramDocument
{
    public string ProgramId { get; init; } = "";
    public string Theme { get; init; } = "";
    public LocalizedText Title { get; init; } = new("", "");
    public LocalizedText Description { get; init; } = new("", "");
    public LocalizedText Location { get; init; } = new("", "");
    public int DurationMinutes { get; init; }
    public int MaxPartySize { get; init; }
    public bool WaitlistSkipAhead { get; init; }

    /// <summary>"first-come" (default) or "lottery" for every session of the program (a schedule may say otherwise).</summary>
    public string? Allocation { get; init; }

    /// <summary>The entry window and draw time of the program's lottery sessions.</summary>
    public LotteryDocument? Lottery { get; init; }

    public IReadOnlyList<ScheduleDocument> Sessions { get; init; } = [];

    /// <summary>The program's translated fields (title, description, location) that still want a native speaker's review, by language.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? NeedsNativeReview { get; init; }
}

/// <summary>Sessions at these times on these dates (all festival dates when absent), each with this capacity.</summary>
public sealed record ScheduleDocument
{
    public IReadOnlyList<string>? Dates { get; init; }
    public IReadOnlyList<string> Times { get; init; } = [];
    public int Capacity { get; init; }

    /// <summary>Overrides the program's allocation for these sessions.</summary>
    public string? Allocation { get; init; }

    /// <summary>Overrides the program's lottery window for these sessions.</summary>
    public LotteryDocument? Lottery { get; init; }
}

/// <summary>
/// A lottery's times, each festival-local: an instant with its offset ("2024-09-02T10:00:00+09:00"),
/// or relative to the session's date ("D-6 10:00": six days before, at 10:00; "D-0 12:00": that day).
/// </summary>
public sealed record LotteryDocument(string EntriesOpenAt, string EntriesCloseAt, string DrawAt);

/// <summary>
/// A text in Korean and English (always) and in Chinese and Japanese where translated; a
/// language without its own text reads the English one (API.md: "a client falls back to en").
/// </summary>
public sealed record LocalizedText(string Ko, string En)
{
    public string? Zh { get; init; }

    public string? Ja { get; init; }

    /// <summary>The text written in <paramref name="language"/>, or null when it has none.</summary>
    public string? Own(string language) => language switch
    {
        Languages.Korean => Ko,
        Languages.English => En,
        Languages.Chinese => Zh,
        Languages.Japanese => Ja,
        _ => null,
    };

    /// <summary>The text in <paramref name="language"/>; English when it has no translation, Korean for an unknown language.</summary>
    public string In(string language) =>
        Own(language) is { Length: > 0 } own ? own : Languages.IsKnown(language) ? En : Ko;
}
