using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Several app instances booking one session over one Azurite, through allotments: seats are never
/// oversold, none is left free while a party that fits waits, the waitlist is in commit order, and
/// an instance that stops mid-rush strands no seat and loses nothing it confirmed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AllotmentTests(AzuriteFixture azurite)
{
    private const int Capacity = 50;

    [Fact]
    public async Task FourInstancesRacing_StrictWaitlist_ExactlyTheSeatsTaken_NoneFreeWhileTheHeadFits_LineInCommitOrder()
    {
        var (apps, sessionId) = await StartAsync(4, skipAhead: false);
        await using var _ = new Instances(apps);

        var results = await RaceAsync(apps, sessionId, attempts: 200);

        var settled = await SettledAsync(apps[0], sessionId);
        var rows = await apps[0].Sessions.ListReservationsAsync(sessionId, CancellationToken.None);
        var confirmed = results.Where(r => r.IsSuccess && r.Value.Reservation.Status == ReservationStatus.Confirmed).Sum(r => r.Value!.Reservation.PartySize);
        Assert.Equal(confirmed, settled.Reserved);
        Assert.True(settled.Reserved <= Capacity);
        var line = rows.Where(r => r.Status == ReservationStatus.Waitlisted).OrderBy(r => r.WaitlistSeq).ToList();
        Assert.NotEmpty(line);

        // Nobody waits while a seat they fit in is free: strict, so the head of the line decides.
        Assert.True(line[0].PartySize > settled.Remaining,
            $"{settled.Remaining} seat(s) free while a party of {line[0].PartySize} heads the line");

        // The place each visitor was told is their place in the line as committed (no one left it).
        var told = results.Where(r => r.IsSuccess && r.Value.Reservation.Status == ReservationStatus.Waitlisted)
            .ToDictionary(r => ReservationCode.Parse(r.Value!.Reservation.Code).Value, r => r.Value!.Reservation.WaitlistPosition);
        Assert.Equal(line.Select((r, i) => (r.Code, (int?)(i + 1))), line.Select(r => (r.Code, told[r.Code])));
        Assert.Equal(Enumerable.Range(1, line.Count).Select(i => (long)i), line.Select(r => r.WaitlistSeq!.Value));
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(apps[0], sessionId, expectedReserved: confirmed);
    }

    [Fact]
    public async Task FourInstancesRacing_SkipAhead_Exactly50Taken_NoWaitingPartyFits()
    {
        var (apps, sessionId) = await StartAsync(4, skipAhead: true);
        await using var _ = new Instances(apps);

        var results = await RaceAsync(apps, sessionId, attempts: 200);

        var settled = await SettledAsync(apps[0], sessionId);
        var rows = await apps[0].Sessions.ListReservationsAsync(sessionId, CancellationToken.None);
        Assert.Equal(Capacity, settled.Reserved);
        Assert.Equal(0, settled.Remaining);
        Assert.DoesNotContain(rows, r => r.Status == ReservationStatus.Waitlisted && r.PartySize <= settled.Remaining);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCode.SessionFull, r.Error!.Code));
        Assert.True(apps.Sum(a => a.Get<CommitMetrics>().AllotmentMoveTotal) > 0, "the race never used an allotment");
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(apps[0], sessionId, expectedReserved: Capacity);
    }

    [Fact]
    public async Task InstanceStopsMidRush_ItsAllotmentIsSoldByTheOthersAtOnce_AndWhatItConfirmedStands()
    {
        var (apps, sessionId) = await StartAsync(2, skipAhead: false);
        await using var _ = new Instances(apps);
        var (dying, survivor) = (apps[0], apps[1]);

        // The first instance spreads the seats over the allotments and books from one of them.
        var early = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            dying.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));
        Assert.All(early, r => Assert.True(r.IsSuccess));
        var before = await apps[0].Sessions.ReadWithAllotmentsAsync(sessionId, CancellationToken.None);
        Assert.NotNull(before);
        Assert.True(before.State.Allotments > 1);
        Assert.Contains(before.Allotments, a => a.Allotment.Taken > 0 && a.Allotment.Free > 0);

        // It is gone (no drain, no hand-back); the other instance sells every seat left, no lease to wait for.
        await dying.DisposeAsync();
        var late = await Task.WhenAll(Enumerable.Range(100, 80).Select(i => Task.Run(() =>
            survivor.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));

        Assert.Equal(Capacity - 12, late.Count(r => r.IsSuccess));
        Assert.All(late.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCode.SessionFull, r.Error!.Code));
        foreach (var (result, i) in early.Select((r, i) => (r, i)))
        {
            var found = await survivor.Lookups.LookupAsync(result.Value!.Reservation.Code, new PhoneRequest(CoreHarness.Phone(i)), CancellationToken.None);
            Assert.Equal(ReservationStatus.Confirmed, found.Value?.Status);
        }

        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(survivor, sessionId, expectedReserved: Capacity);
    }

    private async Task<(CoreHarness[] Apps, string SessionId)> StartAsync(int instances, bool skipAhead)
    {
        var programId = TestCatalog.UniqueProgramId("allot");
        var catalog = TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: Capacity, skipAhead: skipAhead));
        var apps = new CoreHarness[instances];
        for (var i = 0; i < instances; i++)
        {
            apps[i] = await CoreHarness.StartAsync(azurite.ConnectionString, catalog, "Batched");
        }

        return (apps, TestCatalog.SessionId(programId));
    }

    /// <summary>Round-robin over the instances, parties of 1 to 4, everyone willing to wait.</summary>
    private static Task<Result<ReservationReceipt>[]> RaceAsync(CoreHarness[] apps, string sessionId, int attempts) =>
        Task.WhenAll(Enumerable.Range(0, attempts).Select(i => Task.Run(() => apps[i % apps.Length].Reservations.ReserveAsync(
            sessionId, CoreHarness.Request(i, partySize: 1 + (i % 4), joinWaitlist: true), null, CancellationToken.None))));

    /// <summary>The session as staff see it, after checking the allotments hold exactly the counter's escrow.</summary>
    private static async Task<SessionState> SettledAsync(CoreHarness app, string sessionId)
    {
        var snapshot = await app.Sessions.ReadWithAllotmentsAsync(sessionId, CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal(snapshot.State.Escrow, snapshot.Allotments.Sum(a => a.Allotment.Held));
        Assert.All(snapshot.Allotments, a => Assert.True(a.Allotment.Free >= 0 && a.Allotment.Taken >= 0));
        return snapshot.Settled;
    }

    private sealed class Instances(CoreHarness[] apps) : IAsyncDisposable
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
