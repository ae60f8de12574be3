using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Staff;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

/// <summary>Counters, check-ins, cancels and the waitlist on a real table store under concurrency.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StaffAndWaitlistIntegrationTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(CoreHarness App, string SessionId)> StartAsync(string name, int capacity, int maxPartySize = 4, bool skipAhead = false)
    {
        var programId = TestCatalog.UniqueProgramId(name);
        var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity, maxPartySize, skipAhead)));
        return (app, TestCatalog.SessionId(programId));
    }

    private static async Task<ReservationReceipt> ReserveAsync(CoreHarness app, string sessionId, int i, int partySize, bool joinWaitlist = false)
    {
        var result = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i, partySize, joinWaitlist), null, None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    /// <summary>Counter = the rows: seats, checked-in people, waitlisted people and tickets, and never more seats than capacity.</summary>
    private static async Task<(SessionState State, IReadOnlyList<Reservation> Rows, List<(long Seq, string Code, int Party)> Line)> AssertConsistentAsync(
        CoreHarness app, string sessionId)
    {
        var state = (await app.Sessions.GetStateAsync(sessionId, None))!;
        var rows = await app.Sessions.ListReservationsAsync(sessionId, None);
        var line = new List<(long, string, int)>();
        await foreach (var ticket in app.Sessions.QueryPrefixAsync(sessionId, SessionRows.WaitlistPrefix, None))
        {
            line.Add((long.Parse(ticket.RowKey[2..], System.Globalization.CultureInfo.InvariantCulture), ticket.GetString("Code"), ticket.GetInt32("PartySize")!.Value));
        }

        Assert.Equal(state.Reserved, rows.Where(r => r.HoldsSeats).Sum(r => r.PartySize));
        Assert.Equal(state.CheckedIn, rows.Where(r => r.Status == ReservationStatus.CheckedIn).Sum(r => r.PartySize));
        Assert.Equal(state.Waitlisted, rows.Where(r => r.Status == ReservationStatus.Waitlisted).Sum(r => r.PartySize));
        Assert.Equal(state.WaitlistParties, line.Count);
        Assert.Equal(rows.Where(r => r.Status == ReservationStatus.Waitlisted).Select(r => r.Code).Order(StringComparer.Ordinal),
            line.Select(t => t.Item2).Order(StringComparer.Ordinal));
        Assert.InRange(state.Reserved, 0, state.Capacity);
        return (state, rows, line);
    }

    [Fact]
    public async Task MixedConcurrentReservesCancelsAndCheckIns_CounterEqualsTheRows()
    {
        var (app, sessionId) = await StartAsync("mixed", capacity: 40, maxPartySize: 3);
        await using var _ = app;
        
        var first = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Task.Run(() => ReserveAsync(app, sessionId, i, 1 + (i % 3), joinWaitlist: true))));
        var confirmed = first.Where(r => r.Reservation.Status == "confirmed").Select(r => r.Reservation).ToList();
        Assert.True(confirmed.Count >= 15);

        var work = new List<Task>();
        for (var i = 0; i < confirmed.Count; i++)
        {
            var reservation = confirmed[i];
            var index = int.Parse(reservation.Name.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            work.Add(Task.Run(async () =>
            {
                switch (index % 3)
                {
                    case 0:
                        await app.Cancellations.CancelAsync(reservation.Code, new PhoneRequest(CoreHarness.Phone(index)), None);
                        break;
                    case 1:
                        await app.Get<CheckIn>().CheckInAsync(reservation.Code, None);
                        break;
                    default:
                        await app.Get<StaffCancellation>().CancelAsync(reservation.Code, new StaffCancelRequest("mixed run"), None);
                        break;
                }
            }));
        }

        work.AddRange(Enumerable.Range(100, 30).Select(i => Task.Run(() =>
            app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i, 1 + (i % 3), joinWaitlist: i % 2 == 0), null, None))));
        await Task.WhenAll(work);

        var (state, rows, _) = await AssertConsistentAsync(app, sessionId);
        Assert.True(state.CheckedIn > 0);
        Assert.Contains(rows, r => r.Status == ReservationStatus.Cancelled);
        var capacity = (await app.Get<CapacityBoard>().GetCapacityAsync(TestCatalog.Sunday, None)).Value!.Sessions.Single(s => s.SessionId == sessionId);
        Assert.Equal((state.Reserved, state.CheckedIn, state.Waitlisted), (capacity.Reserved, capacity.CheckedIn, capacity.Waitlisted));
    }

    [Theory]
    [InlineData(false, new[] { 0 })]
    [InlineData(true, new[] { 0, 2 })]
    public async Task FillWaitlistFiveCancelTwo_ExactlyTheFirstEligiblePromoted(bool skipAhead, int[] promotedIndexes)
    {
        var (app, sessionId) = await StartAsync(skipAhead ? "fillskip" : "fillstrict", capacity: 10, skipAhead: skipAhead);
        await using var _ = app;
        var holders = new List<ReservationReceipt>();
        for (var i = 0; i < 5; i++)
        {
            holders.Add(await ReserveAsync(app, sessionId, i, 2));
        }

        int[] sizes = [2, 3, 1, 2, 2];
        var waiting = new List<ReservationReceipt>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var receipt = await ReserveAsync(app, sessionId, 10 + i, sizes[i], joinWaitlist: true);
            Assert.Equal(("waitlisted", i + 1), (receipt.Reservation.Status, receipt.Reservation.WaitlistPosition));
            waiting.Add(receipt);
        }

        await Task.WhenAll(holders.Take(2).Select((h, i) => Task.Run(() =>
            app.Cancellations.CancelAsync(h.Reservation.Code, new PhoneRequest(CoreHarness.Phone(i)), None))));

        // 4 seats free. Strict: A (2) fits, B (3) does not and holds the line. Skip-ahead: A (2) and C (1).
        var (state, _, line) = await AssertConsistentAsync(app, sessionId);
        for (var i = 0; i < waiting.Count; i++)
        {
            var now = await app.Lookups.LookupAsync(waiting[i].Reservation.Code, new PhoneRequest(CoreHarness.Phone(10 + i)), None);
            Assert.Equal(promotedIndexes.Contains(i) ? "confirmed" : "waitlisted", now.Value!.Status);
        }

        Assert.Equal(6 + promotedIndexes.Sum(i => sizes[i]), state.Reserved);
        Assert.Equal(sizes.Length - promotedIndexes.Length, state.WaitlistParties);
        var stillWaiting = Enumerable.Range(0, sizes.Length).Where(i => !promotedIndexes.Contains(i)).ToList();
        for (var p = 0; p < stillWaiting.Count; p++)
        {
            var i = stillWaiting[p];
            var now = await app.Lookups.LookupAsync(waiting[i].Reservation.Code, new PhoneRequest(CoreHarness.Phone(10 + i)), None);
            Assert.Equal(p + 1, now.Value!.WaitlistPosition);
        }

        // Eligible: in strict order only the head of the line; with skip-ahead anyone who fits.
        var eligible = skipAhead ? line : line.OrderBy(t => t.Seq).Take(1).ToList();
        Assert.True(eligible.All(t => t.Party > state.Remaining), "an eligible party is waiting while seats are free");
    }

    [Fact]
    public async Task ConcurrentCancelsAndReservations_NeverSeatsFreeWhileAnEligiblePartyWaits_NeverOversold()
    {
        var (app, sessionId) = await StartAsync("churn", capacity: 20, maxPartySize: 2);
        await using var _ = app;
        var holders = new List<ReservationReceipt>();
        for (var i = 0; i < 10; i++)
        {
            holders.Add(await ReserveAsync(app, sessionId, i, 2));
        }

        for (var i = 0; i < 8; i++)
        {
            await ReserveAsync(app, sessionId, 20 + i, 1 + (i % 2), joinWaitlist: true);
        }

        var cancels = holders.Take(6).Select((h, i) => Task.Run(async () =>
        {
            var r = await app.Cancellations.CancelAsync(h.Reservation.Code, new PhoneRequest(CoreHarness.Phone(i)), None);
            return r.IsSuccess ? null : r.Error;
        }));
        var reserves = Enumerable.Range(50, 24).Select(i => Task.Run(async () =>
        {
            var r = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i, 1 + (i % 2), joinWaitlist: i % 3 != 0), null, None);
            return r.IsSuccess ? null : r.Error;
        }));
        var errors = await Task.WhenAll(cancels.Concat(reserves));

        Assert.All(errors.Where(e => e is not null), e => Assert.Equal(ErrorCode.SessionFull, e!.Code));
        var (state, _, line) = await AssertConsistentAsync(app, sessionId);
        Assert.True(line.Count == 0 || line.OrderBy(t => t.Seq).First().Party > state.Remaining,
            $"{state.Remaining} seats free while a party of {line.FirstOrDefault().Party} heads the line");
        Assert.True(state.Waitlisted <= state.Capacity);
    }
}
