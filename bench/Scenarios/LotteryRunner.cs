using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Lotteries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>What `bench -- lottery` measured and checked.</summary>
public sealed record LotteryFigures(
    int Entries, int Seats, double EnterSeconds, double DrawSeconds, int RowsWritten, int Won, int SeatsTaken, int Waitlisted,
    int NotSelected, bool OrderMatches, bool StatusesMatch, bool WithinSeats)
{
    public bool DrawWithinAMinute => DrawSeconds <= 60;

    public bool Passed => OrderMatches && StatusesMatch && WithinSeats && DrawWithinAMinute;
}

/// <summary>
/// Issue 18's lottery at scale, on the app's own code in this process (its core services as the
/// functions app registers them, Batched commit) over an in-memory Azurite: 20,000 entries for a
/// 300-seat session through the reservation path (256 callers), then the draw, timed, and checked
/// against an independent recomputation from the revealed seed (order, every entry's outcome, seats).
/// </summary>
public static class LotteryRunner
{
    public const int DefaultEntries = 20_000;
    public const int DefaultSeats = 300;
    private const int Callers = 256;
    private const string ProgramId = "lottery-bench";
    private const string SessionId = "lottery-bench.20240908.1500";

    private static readonly DateTimeOffset DuringEntries = new(2024, 9, 3, 12, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset AtTheDraw = new(2024, 9, 6, 12, 0, 0, TimeSpan.FromHours(9));

    public static async Task<LotteryFigures> RunAsync(string connectionString, int entries, int seats, TextWriter progress, CancellationToken cancellationToken)
    {
        var clock = new SettableClock(DuringEntries);
        await using var services = await StartAsync(connectionString, seats, clock, cancellationToken);
        var reserve = services.GetRequiredService<IdempotentReserve>();

        var random = new Random(18);
        var parties = Enumerable.Range(0, entries).Select(_ => random.Next(1, 5)).ToArray();
        var codes = new string[entries];
        var entering = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < entries; i = Interlocked.Increment(ref next))
            {
                var request = new ReservationRequest($"응모자 {i}", $"010-{5000 + (i / 10000):D4}-{i % 10000:D4}", parties[i], "ko", false);
                var answer = await reserve.ReserveAsync(SessionId, request, null, cancellationToken);
                codes[i] = answer.IsSuccess && answer.Value!.Reservation.Status == ReservationStatus.Entered
                    ? answer.Value.Reservation.Code
                    : throw new InvalidOperationException($"entry {i} was not taken: {(answer.IsSuccess ? answer.Value!.Reservation.Status : answer.Error!.Code)}");
            }
        }));
        var enterSeconds = entering.Elapsed.TotalSeconds;
        progress.WriteLine($"   {entries:N0} entries through the reservation path in {enterSeconds:F1} s");

        clock.Now = AtTheDraw;
        var draw = services.GetRequiredService<LotteryDraw>();
        var drawing = Stopwatch.StartNew();
        var result = await draw.DrawAsync(SessionId, byStaff: false, cancellationToken);
        var drawSeconds = drawing.Elapsed.TotalSeconds;
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the draw was refused: {result.Error!.Code}");
        }

        progress.WriteLine($"   drawn in {drawSeconds:F1} s");
        var store = services.GetRequiredService<SessionStore>();
        var rows = (await store.ListReservationsAsync(SessionId, cancellationToken)).ToDictionary(r => ReservationCode.Display(r.Code));
        var seed = Convert.FromHexString(result.Value!.Seed);
        var order = codes.OrderBy(c => HMACSHA256.HashData(seed, Encoding.UTF8.GetBytes(c)), Bytewise.Instance).ToList();
        var published = (await draw.GetAsync(SessionId, cancellationToken)).Value!.Order;
        var orderMatches = published.SequenceEqual(order.Select(c => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c)))));
        var partyOf = codes.Select((c, i) => (c, parties[i])).ToDictionary(x => x.c, x => x.Item2);
        var statusesMatch = Expected(order, partyOf, seats).All(e => rows[e.Key].Status == e.Value);
        var seated = rows.Values.Where(r => r.Status == ReservationStatus.Confirmed).Sum(r => r.PartySize);
        return new LotteryFigures(entries, seats, enterSeconds, drawSeconds,
            RowsWritten: rows.Values.Sum(r => r.Status == ReservationStatus.Confirmed ? 1 : 2),
            Won: result.Value.Confirmed, SeatsTaken: seated, Waitlisted: result.Value.Waitlisted,
            NotSelected: rows.Values.Count(r => r.Status == ReservationStatus.NotSelected),
            orderMatches, statusesMatch, WithinSeats: seated <= seats);
    }

    /// <summary>The draw's rule written out again: seats while the whole party fits, then a waitlist of at most as many people as seats.</summary>
    private static Dictionary<string, string> Expected(IReadOnlyList<string> order, IReadOnlyDictionary<string, int> party, int seats)
    {
        var (free, waiting) = (seats, 0);
        var outcome = new Dictionary<string, string>();
        foreach (var code in order)
        {
            var p = party[code];
            (outcome[code], free, waiting) = p <= free ? (ReservationStatus.Confirmed, free - p, waiting)
                : waiting + p <= seats ? (ReservationStatus.Waitlisted, free, waiting + p)
                : (ReservationStatus.NotSelected, free, waiting);
        }

        return outcome;
    }

    private static async Task<ServiceProvider> StartAsync(string connectionString, int seats, TimeProvider clock, CancellationToken cancellationToken)
    {
        var catalog = new CatalogDocument
        {
            FestivalId = "lottery-bench",
            Name = new LocalizedText("차 없는 잠수교 뚜벅뚜벅 축제", "Car-Free Jamsugyo Bridge Festival"),
            Venue = new LocalizedText("잠수교", "Jamsugyo Bridge"),
            Dates = ["2024-09-08"],
            Programs =
            [
                new ProgramDocument
                {
                    ProgramId = ProgramId,
                    Theme = "art",
                    Title = new LocalizedText("가면 퍼레이드", "Mask Parade"),
                    Description = new LocalizedText("가면을 쓰고 다리를 걸어요.", "Walk the bridge in a mask."),
                    Location = new LocalizedText("잠수교 북단", "North end of the bridge"),
                    DurationMinutes = 60,
                    MaxPartySize = 4,
                    Allocation = Allocation.Lottery,
                    Lottery = new LotteryDocument("D-6 10:00", "D-3 20:00", "D-2 12:00"),
                    Sessions = [new ScheduleDocument { Times = ["15:00"], Capacity = seats }],
                },
            ],
        };
        var file = Path.Combine(Path.GetTempPath(), $"lottery-bench-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(catalog, JsonPolicies.Contract), cancellationToken);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:SmsQueueName"] = "sms-lottery-bench",
            ["Festival:CatalogFile"] = file,
            ["Reservations:CommitMode"] = "Batched",
            ["Privacy:PhoneHashKey"] = "lottery-bench-phone-hash-key-not-a-secret-0123",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole())
            .AddFestivalCore(configuration)
            .AddSingleton(clock)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageTables>().EnsureCreatedAsync(cancellationToken);
        await services.GetRequiredService<CatalogSeeder>().SeedAsync(cancellationToken);
        return services;
    }

    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now + Stopwatch.GetElapsedTime(_started);
    }

    private sealed class Bytewise : IComparer<byte[]>
    {
        public static readonly Bytewise Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}
