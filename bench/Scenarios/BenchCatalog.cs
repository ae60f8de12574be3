using System.Globalization;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Json;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// Catalogs generated for a run: every session on Sunday 2024-09-08, whose booking opened Monday
/// 2024-09-02 10:00 KST; the app's clock is pinned to that Monday 12:00, inside the window.
/// </summary>
public static class BenchCatalog
{
    public const string Sunday = "2024-09-08";
    public const string WarmUpTime = "19:00";
    public const int WarmUpCapacity = 1_000;
    public static readonly DateTimeOffset Now = new(2024, 9, 2, 12, 0, 0, TimeSpan.FromHours(9));
    public static readonly string[] Times = ["13:00", "15:00", "17:00", "19:00"];

    /// <summary>A session id as the catalog names it: program.yyyyMMdd.HHmm.</summary>
    public static string SessionId(string programId, string time) => $"{programId}.20240908.{time.Replace(":", "", StringComparison.Ordinal)}";

    public static string WarmUpProgram(string tag) => "warm-up" + tag;

    public static CatalogDocument Create(string tag, IEnumerable<ProgramDocument> programs) => new()
    {
        FestivalId = "bench" + tag,
        Name = new LocalizedText("벤치마크 축제", "Benchmark Festival"),
        Venue = new LocalizedText("잠수교", "Jamsugyo Bridge"),
        TimeZone = "Asia/Seoul",
        Dates = [Sunday],
        OpeningHours = new HoursDocument("13:00", "21:00"),
        BookingOpens = new BookingOpensDocument(6, "10:00"),
        // A session the run warms the app up on (JIT, connection pools) before it measures.
        Programs = [Program(WarmUpProgram(tag), WarmUpCapacity, [WarmUpTime]), .. programs],
    };

    public static ProgramDocument Program(string programId, int capacity, IReadOnlyList<string> times) => new()
    {
        ProgramId = programId,
        Theme = "art",
        Title = new LocalizedText("벤치마크 " + programId, "Benchmark " + programId),
        Description = new LocalizedText("부하 시험용 프로그램입니다.", "A program for load tests."),
        Location = new LocalizedText("잠수교 북단", "North end of the bridge"),
        DurationMinutes = 60,
        MaxPartySize = 4,
        Sessions = [new ScheduleDocument { Dates = [Sunday], Times = times, Capacity = capacity }],
    };

    public static async Task<string> WriteAsync(CatalogDocument catalog, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"fr-bench-{catalog.FestivalId}.json");
        await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(catalog, JsonPolicies.Contract), cancellationToken);
        return file;
    }

    /// <summary>A valid Korean mobile number unique to attempt <paramref name="i"/> of run <paramref name="run"/>.</summary>
    public static string Phone(int run, int i) =>
        string.Create(CultureInfo.InvariantCulture, $"010-{2000 + (run % 70) * 100 + i / 10_000:D4}-{i % 10_000:D4}");
}
