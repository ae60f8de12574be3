using FestivalReservations.Core.Catalog;

namespace FestivalReservations.Tests.Integration;

/// <summary>A small catalog with programs unique to one test, so tests can share one Azurite.</summary>
public static class TestCatalog
{
    /// <summary>A Monday 12:00 KST: booking for the next Sunday (2024-09-08) is open.</summary>
    public static readonly DateTimeOffset BookingIsOpen = new(2024, 9, 2, 12, 0, 0, TimeSpan.FromHours(9));

    public const string Sunday = "2024-09-08";

    public static string UniqueProgramId(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)];

    public static CatalogDocument Create(string festivalId, params ProgramDocument[] programs) => new()
    {
        FestivalId = festivalId,
        Name = new LocalizedText("테스트 축제", "Test Festival"),
        Venue = new LocalizedText("잠수교", "Jamsugyo Bridge"),
        TimeZone = "Asia/Seoul",
        Dates = ["2024-09-01", Sunday, "2024-09-22"],
        OpeningHours = new HoursDocument("13:00", "21:00"),
        BookingOpens = new BookingOpensDocument(6, "10:00"),
        Programs = programs,
    };

    public static ProgramDocument Program(string programId, int capacity, int maxPartySize = 4, bool skipAhead = false, string time = "15:00") => new()
    {
        ProgramId = programId,
        Theme = "art",
        Title = new LocalizedText("가면 퍼레이드", "Mask Parade"),
        Description = new LocalizedText("가면을 쓰고 다리를 걸어요.", "Walk the bridge in a mask."),
        Location = new LocalizedText("잠수교 북단", "North end of the bridge"),
        DurationMinutes = 60,
        MaxPartySize = maxPartySize,
        WaitlistSkipAhead = skipAhead,
        Sessions = [new ScheduleDocument { Dates = [Sunday], Times = [time], Capacity = capacity }],
    };

    public static string SessionId(string programId, string time = "1500") => $"{programId}.20240908.{time}";
}
