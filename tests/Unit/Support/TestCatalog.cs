using System.Text.Json;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Json;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>A small valid catalog: Saturday 2024-09-07 and Sunday 2024-09-08, 13:00-21:00, booking opens 6 days before at 10:00.</summary>
public static class TestCatalog
{
    public const string MaskParade = "mask-parade";
    public const string Picnic = "picnic-zone";
    public const string SundayParade = "mask-parade.20240908.1500";
    public const string SundayPicnic = "picnic-zone.20240908.1400";

    public static ProgramDocument Program(string id = MaskParade, string theme = "art", int duration = 60, int maxParty = 4,
        bool skipAhead = false, params ScheduleDocument[] sessions) => new()
        {
            ProgramId = id,
            Theme = theme,
            Title = new LocalizedText("가면 퍼레이드", "Mask parade"),
            Description = new LocalizedText("가면을 쓰고 행진해요", "March in masks"),
            Location = new LocalizedText("광장", "Plaza"),
            DurationMinutes = duration,
            MaxPartySize = maxParty,
            WaitlistSkipAhead = skipAhead,
            Sessions = sessions.Length == 0 ? [Schedule(10, null, "15:00")] : sessions,
        };

    public static ScheduleDocument Schedule(int capacity, string[]? dates, params string[] times) =>
        new() { Capacity = capacity, Dates = dates, Times = times };

    public static CatalogDocument Document(params ProgramDocument[] programs) => new()
    {
        FestivalId = "seoul-family-2024",
        Name = new LocalizedText("서울 가족 축제", "Seoul Family Festival"),
        Venue = new LocalizedText("서울숲", "Seoul Forest"),
        TimeZone = "Asia/Seoul",
        Dates = ["2024-09-07", "2024-09-08"],
        OpeningHours = new HoursDocument("13:00", "21:00"),
        BookingOpens = new BookingOpensDocument(6, "10:00"),
        Programs = programs.Length == 0
            ? [Program(), Program(Picnic, "relaxation", 90, 6, skipAhead: true, Schedule(8, ["2024-09-08"], "14:00"))]
            : programs,
    };

    public static string Json(CatalogDocument document) => JsonSerializer.Serialize(document, JsonPolicies.Contract);

    /// <summary>Writes the document to a temporary file and returns its path (for CatalogSource).</summary>
    public static string WriteFile(CatalogDocument document)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fr-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Json(document));
        return path;
    }
}
