using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Lotteries;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// A lottery on Azurite, as issue 18 asks: 500 entries for 40 seats through the reservation route;
/// the draw killed halfway, then run three times at once on three app instances, then once more:
/// one result, at most 40 seats, every entry answered by exactly one result SMS, and the published
/// order equal to an independent recomputation from the revealed seed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LotteryDrawIntegrationTests(AzuriteFixture azurite)
{
    private const int Capacity = 40;
    private const int Entries = 500;

    private static readonly DateTimeOffset EntriesOpen = new(2024, 9, 2, 10, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset EntriesClose = new(2024, 9, 5, 20, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset DrawAt = new(2024, 9, 6, 12, 0, 0, TimeSpan.FromHours(9));

    public static ProgramDocument LotteryProgram(string programId, int capacity) => TestCatalog.Program(programId, capacity) with
    {
        Allocation = Allocation.Lottery,
        Lottery = new LotteryDocument("2024-09-02T10:00:00+09:00", "2024-09-05T20:00:00+09:00", "D-2 12:00"),
    };

    [Fact]
    public async Task Draw_500EntriesFor40Seats_KilledHalfwayThenThreeAtOnceThenAgain_OneResultEveryEntryAnsweredOnceOrderRecomputable()
    {
        var programId = TestCatalog.UniqueProgramId("lottery");
        var catalog = TestCatalog.Create("lottery-" + Guid.NewGuid().ToString("N")[..8], LotteryProgram(programId, Capacity));
        var sessionId = TestCatalog.SessionId(programId);
        var queue = AppSettings.NewSmsQueueName();
        var clock = new FakeTimeProvider(EntriesOpen.AddHours(2));
        var apps = new List<CoreHarness>();
        for (var i = 0; i < 4; i++)
        {
            apps.Add(await CoreHarness.StartAsync(azurite.ConnectionString, catalog, commitMode: "Batched", clock: clock, smsQueueName: queue));
        }

        await using var _ = new Instances(apps);
        var entering = apps[0];

        // The commitment is public while entries are open; the seed is not.
        var open = (await entering.Get<FestivalQueries>().GetSessionAsync(sessionId, CancellationToken.None)).Value!;
        Assert.Equal(Allocation.Lottery, open.Allocation);
        Assert.Equal(LotteryStatus.Open, open.Lottery!.Status);
        Assert.Null(open.Lottery.Seed);
        var publishedHash = open.Lottery.SeedHash!;

        var random = new Random(18);
        var parties = Enumerable.Range(0, Entries).Select(_ => random.Next(1, 5)).ToArray();
        var answers = await Task.WhenAll(Enumerable.Range(0, Entries).Select(i =>
            apps[i % 4].Reservations.ReserveAsync(sessionId, CoreHarness.Request(i, parties[i], joinWaitlist: i % 2 == 0), null, CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal(ReservationStatus.Entered, a.Value!.Reservation.Status));
        var codes = answers.Select(a => a.Value!.Reservation.Code).ToList();
        var partyOf = codes.Select((c, i) => (c, parties[i])).ToDictionary(x => x.c, x => x.Item2);
        var again = await entering.Reservations.ReserveAsync(sessionId, CoreHarness.Request(7, 1), null, CancellationToken.None);
        Assert.Equal(ErrorCode.DuplicateReservation, again.Error!.Code);

        // Before the entries close the staff cannot draw, and the draw is not published.
        Assert.Equal(ErrorCode.DrawNotDue, (await entering.Get<LotteryDraw>().DrawAsync(sessionId, byStaff: true, CancellationToken.None)).Error!.Code);
        Assert.Equal(ErrorCode.DrawNotDue, (await entering.Get<LotteryDraw>().GetAsync(sessionId, CancellationToken.None)).Error!.Code);
        clock.SetUtcNow(DrawAt.AddMinutes(1));
        var late = await entering.Reservations.ReserveAsync(sessionId, CoreHarness.Request(9999, 1), null, CancellationToken.None);
        Assert.Equal(ErrorCode.BookingNotOpen, late.Error!.Code);

        // Killed halfway: the first drawer stops once its cursor has passed 100 of the 500.
        using var kill = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!kill.IsCancellationRequested)
            {
                if (await entering.Sessions.ReadCounterAsync(sessionId, CancellationToken.None) is { State.Lottery.Drawn: >= 100 })
                {
                    kill.Cancel();
                }
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apps[0].Get<LotteryDraw>().DrawAsync(sessionId, byStaff: false, kill.Token));
        await watching;
        var halfway = (await entering.Sessions.ReadCounterAsync(sessionId, CancellationToken.None))!.State.Lottery!;
        Assert.False(halfway.IsDrawn, "the draw finished before it could be killed");
        Assert.InRange(halfway.Drawn, 100, Entries - 1);

        // Three instances at once (staff on one, the draw on another, the timer's sweep of due lotteries on the third), then retries.
        var draws = apps.Skip(1).Select(a => a.Get<LotteryDraw>()).ToList();
        draws.ForEach(d => d.QuietPeriod = TimeSpan.FromSeconds(1));
        var concurrent = Task.WhenAll(draws.Take(2).Select((d, i) => d.DrawAsync(sessionId, byStaff: i == 0, CancellationToken.None)));
        var timer = draws[2].DrawDueAsync(CancellationToken.None);
        await Task.WhenAll(concurrent, timer);
        var retry = await draws[0].DrawAsync(sessionId, byStaff: true, CancellationToken.None);
        var afterTimer = await draws[2].DrawAsync(sessionId, byStaff: false, CancellationToken.None);
        var results = (await concurrent).Append(retry).Append(afterTimer).Select(r => r.Value!).ToList();
        Assert.Equal(0, await draws[2].DrawDueAsync(CancellationToken.None));
        Assert.All(results, r => Assert.Equal(results[0], r));
        var result = results[0];
        Assert.Equal(Entries, result.Entries);
        Assert.Equal(publishedHash, result.SeedHash);
        Assert.Equal(publishedHash, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(result.Seed))));

        // An independent recomputation from the revealed seed and the codes: order, and who gets what.
        var order = codes.OrderBy(c => HMACSHA256.HashData(Convert.FromHexString(result.Seed), Encoding.UTF8.GetBytes(c)), BytewiseComparer.Instance).ToList();
        var expected = Expected(order, partyOf);
        var published = (await apps[3].Get<LotteryDraw>().GetAsync(sessionId, CancellationToken.None)).Value!;
        Assert.Equal(result.Seed, published.Seed);
        Assert.Equal(order.Select(c => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c)))), published.Order);

        var rows = (await entering.Sessions.ListReservationsAsync(sessionId, CancellationToken.None))
            .ToDictionary(r => ReservationCode.Display(r.Code));
        Assert.Equal(Entries, rows.Count);
        Assert.All(order, c => Assert.Equal(expected[c], rows[c].Status));
        var seated = rows.Values.Where(r => r.Status == ReservationStatus.Confirmed).Sum(r => r.PartySize);
        var settled = (await entering.Sessions.GetStateAsync(sessionId, CancellationToken.None))!;
        Assert.True(seated <= Capacity);
        Assert.Equal(seated, settled.Reserved);
        Assert.Equal(result.Confirmed, rows.Values.Count(r => r.Status == ReservationStatus.Confirmed));
        Assert.Equal(result.Waitlisted, rows.Values.Count(r => r.Status == ReservationStatus.Waitlisted));
        Assert.Equal(rows.Values.Where(r => r.Status == ReservationStatus.Waitlisted).Sum(r => r.PartySize), settled.Waitlisted);
        Assert.True(settled.Waitlisted <= Capacity);

        // Every entry answered once: whatever the killed drawer left in its outbox is swept, then the
        // queue holds exactly one result message id per entry (a row sent twice repeats its ids).
        var sweeper = entering.Get<OutboxSweeper>();
        sweeper.MinimumAge = TimeSpan.Zero;
        await sweeper.SweepAsync(CancellationToken.None);
        var messages = await DrainAsync(entering.Get<StorageTables>());
        var resultKinds = new[] { SmsKind.Won, SmsKind.Waitlisted, SmsKind.NotSelected };
        var answered = messages.Where(m => resultKinds.Contains(m.Kind)).DistinctBy(m => m.MessageId).ToList();
        Assert.Equal(Entries, answered.Count);
        Assert.Equal(order.Select(c => ReservationCode.Parse(c).Value).Order(StringComparer.Ordinal),
            answered.Select(m => m.ReservationCode).Order(StringComparer.Ordinal));
        Assert.All(answered, m => Assert.Equal(expected[ReservationCode.Display(m.ReservationCode)] switch
        {
            ReservationStatus.Confirmed => SmsKind.Won,
            ReservationStatus.Waitlisted => SmsKind.Waitlisted,
            _ => SmsKind.NotSelected,
        }, m.Kind));

        // A waitlisted entry's SMS says its place in line: 1, 2, ... in draw order, as its look-up does.
        var waitlistedInOrder = order.Where(c => expected[c] == ReservationStatus.Waitlisted).ToList();
        Assert.Equal(Enumerable.Range(1, waitlistedInOrder.Count).Select(p => (int?)p),
            waitlistedInOrder.Select(c => answered.Single(m => m.ReservationCode == ReservationCode.Parse(c).Value).WaitlistPosition));
        Assert.All(answered.Where(m => m.Kind != SmsKind.Waitlisted), m => Assert.Null(m.WaitlistPosition));

        // The seats left open first come at once; a phone that was not selected may book them.
        var loser = order.Select((c, i) => (c, i)).First(x => expected[x.c] == ReservationStatus.NotSelected).i;
        var free = Capacity - seated;
        var booking = await entering.Reservations.ReserveAsync(sessionId, CoreHarness.Request(codes.IndexOf(order[loser]), 1), null, CancellationToken.None);
        Assert.Equal(free > 0 ? ReservationStatus.Confirmed : null, booking.IsSuccess ? booking.Value!.Reservation.Status : null);
    }

    [Fact]
    public async Task Enter_CountsTowardThePhonesDailyCapAndOverlap_LikeAReservation()
    {
        var lottery = TestCatalog.UniqueProgramId("lotcap");
        var firstCome = new[] { "13:00", "16:30", "18:00", "19:30" }.Select(t => TestCatalog.Program(TestCatalog.UniqueProgramId("fc"), 10, time: t)).ToArray();
        var overlapping = TestCatalog.Program(TestCatalog.UniqueProgramId("ov"), 10, time: "15:30");
        var catalog = TestCatalog.Create($"fest-{lottery}", [LotteryProgram(lottery, 10), .. firstCome, overlapping]);
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString, catalog, commitMode: "Batched", clock: new FakeTimeProvider(EntriesOpen.AddHours(2)));
        var phone = CoreHarness.Request(4242, 1);

        var entry = await app.Reservations.ReserveAsync(TestCatalog.SessionId(lottery), phone, null, CancellationToken.None);
        Assert.Equal(ReservationStatus.Entered, entry.Value!.Reservation.Status);
        var overlap = await app.Reservations.ReserveAsync(TestCatalog.SessionId(overlapping.ProgramId, "1530"), phone, null, CancellationToken.None);
        Assert.Equal(ErrorCode.OverlappingReservation, overlap.Error!.Code);
        foreach (var program in firstCome.Take(3))
        {
            var booked = await app.Reservations.ReserveAsync(TestCatalog.SessionId(program.ProgramId, program.Sessions[0].Times[0].Replace(":", "")), phone, null, CancellationToken.None);
            Assert.Equal(ReservationStatus.Confirmed, booked.Value!.Reservation.Status);
        }

        // The entry and three bookings are the day's four: a fifth session is refused.
        var fifth = await app.Reservations.ReserveAsync(TestCatalog.SessionId(firstCome[3].ProgramId, "1930"), phone, null, CancellationToken.None);
        Assert.Equal(ErrorCode.PhoneLimitReached, fifth.Error!.Code);

        // Withdrawing the entry (while entries are open) frees the day's place.
        var withdrawn = await app.Cancellations.CancelAsync(entry.Value.Reservation.Code, new PhoneRequest(phone.Phone), CancellationToken.None);
        Assert.Equal(ReservationStatus.Cancelled, withdrawn.Value!.Status);
        Assert.Equal(0, (await app.Sessions.ReadCounterAsync(TestCatalog.SessionId(lottery), CancellationToken.None))!.State.Lottery!.Entries);
        var now = await app.Reservations.ReserveAsync(TestCatalog.SessionId(firstCome[3].ProgramId, "1930"), phone, null, CancellationToken.None);
        Assert.Equal(ReservationStatus.Confirmed, now.Value!.Reservation.Status);
    }

    /// <summary>The draw's rule written out again: seats while the whole party fits, then a waitlist of at most capacity people.</summary>
    private static Dictionary<string, string> Expected(IReadOnlyList<string> order, IReadOnlyDictionary<string, int> party)
    {
        var free = Capacity;
        var waiting = 0;
        var outcome = new Dictionary<string, string>();
        foreach (var code in order)
        {
            if (party[code] <= free)
            {
                free -= party[code];
                outcome[code] = ReservationStatus.Confirmed;
            }
            else if (waiting + party[code] <= Capacity)
            {
                waiting += party[code];
                outcome[code] = ReservationStatus.Waitlisted;
            }
            else
            {
                outcome[code] = ReservationStatus.NotSelected;
            }
        }

        return outcome;
    }

    private static async Task<List<OutboxMessage>> DrainAsync(StorageTables tables)
    {
        var all = new List<OutboxMessage>();
        while (true)
        {
            var batch = (await tables.SmsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            foreach (var message in batch)
            {
                all.AddRange(SmsQueueMessage.Read(message.Body.ToString())!.OfType<OutboxMessage>());
            }
        }
    }

    private sealed class BytewiseComparer : IComparer<byte[]>
    {
        public static readonly BytewiseComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }

    private sealed class Instances(IEnumerable<CoreHarness> apps) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
