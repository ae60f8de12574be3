using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

/// <summary>The capacity rule on a real table store under concurrency, across app instances.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReservationConcurrencyTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Modes => ["Single", "Batched"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reserve_200ConcurrentFor50Seats_Exactly50Confirmed(string mode)
    {
        var programId = TestCatalog.UniqueProgramId("rush");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 50)), mode);
        var sessionId = TestCatalog.SessionId(programId);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));

        Assert.Equal(50, results.Count(r => r.IsSuccess && r.Value.Reservation.Status == ReservationStatus.Confirmed));
        Assert.Equal(150, results.Count(r => !r.IsSuccess && r.Error.Code == ErrorCode.SessionFull));
        await AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 50);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reserve_SamePhoneTwiceAtOnce_OneReservation(string mode)
    {
        var programId = TestCatalog.UniqueProgramId("twice");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 50)), mode);
        var sessionId = TestCatalog.SessionId(programId);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(7, partySize: 2), null, CancellationToken.None))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCode.DuplicateReservation, r.Error!.Code));
        await AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 2);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Cancel_FreesTheSeats_ForTheNextVisitor(string mode)
    {
        var programId = TestCatalog.UniqueProgramId("free");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 3)), mode);
        var sessionId = TestCatalog.SessionId(programId);
        var first = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(1, partySize: 3), null, CancellationToken.None);
        var refused = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(2, partySize: 2), null, CancellationToken.None);
        Assert.Equal(ErrorCode.SessionFull, refused.Error?.Code);

        var cancelled = await app.Cancellations.CancelAsync(first.Value!.Reservation.Code, new PhoneRequest(CoreHarness.Phone(1)), CancellationToken.None);
        var second = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(2, partySize: 2), null, CancellationToken.None);
        var again = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(1, partySize: 1), null, CancellationToken.None);

        Assert.Equal(ReservationStatus.Cancelled, cancelled.Value?.Status);
        Assert.Equal(ReservationStatus.Confirmed, second.Value?.Reservation.Status);
        Assert.Equal(ReservationStatus.Confirmed, again.Value?.Reservation.Status);
        await AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 3);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reserve_TwoAppInstancesRacing_NeverOversell(string mode)
    {
        var programId = TestCatalog.UniqueProgramId("twoapps");
        var catalog = TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 40, maxPartySize: 3));
        await using var a = await CoreHarness.StartAsync(azurite.ConnectionString, catalog, mode);
        await using var b = await CoreHarness.StartAsync(azurite.ConnectionString, catalog, mode);
        var sessionId = TestCatalog.SessionId(programId);

        var results = await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            Task.Run(() => (i % 2 == 0 ? a : b).Reservations.ReserveAsync(
                sessionId, CoreHarness.Request(i, partySize: 1 + (i % 3)), null, CancellationToken.None))));

        var confirmedSeats = results.Where(r => r.IsSuccess).Sum(r => r.Value!.Reservation.PartySize);
        Assert.InRange(confirmedSeats, 38, 40);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCode.SessionFull, r.Error!.Code));
        await AssertCounterMatchesRowsAsync(a, sessionId, expectedReserved: confirmedSeats);
    }

    /// <summary>The counter equals the sum of the party sizes of the stored reservations holding seats.</summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reserve_RushPastCapacity_OnlyTheAdmittedTakeCodes_AndEachFindsItsReservation(string mode)
    {
        var programId = TestCatalog.UniqueProgramId("codes");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 30)), mode);
        var sessionId = TestCatalog.SessionId(programId);

        var results = await Task.WhenAll(Enumerable.Range(0, 90).Select(i =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));

        var confirmed = results.Select((r, i) => (Result: r, Phone: CoreHarness.Phone(i))).Where(x => x.Result.IsSuccess).ToList();
        Assert.Equal(30, confirmed.Count);
        var codes = confirmed.Select(x => ReservationCode.Parse(x.Result.Value!.Reservation.Code).Value).Order().ToList();
        // Refusals claim no code; codes claimed ahead for the rush and left unused are given back.
        var claimed = new List<string>();
        for (var wait = 0; wait < 50; wait++)
        {
            claimed = await CodesOfAsync(app, sessionId);
            if (claimed.Count == codes.Count)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(codes, claimed);
        foreach (var (result, phone) in confirmed)
        {
            var found = await app.Lookups.LookupAsync(result.Value!.Reservation.Code, new PhoneRequest(phone), CancellationToken.None);
            Assert.Equal(result.Value.Reservation.Code, found.Value?.Code);
        }
    }

    private static async Task<List<string>> CodesOfAsync(CoreHarness app, string sessionId)
    {
        var codes = new List<string>();
        var rows = app.Get<StorageTables>().Codes.QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"SessionId eq {sessionId}"));
        await foreach (var row in rows)
        {
            Assert.Equal(row.RowKey[..ReservationCode.ShelfLength], row.PartitionKey);
            codes.Add(row.RowKey);
        }

        return [.. codes.Order()];
    }

    internal static async Task AssertCounterMatchesRowsAsync(CoreHarness app, string sessionId, int expectedReserved)
    {
        var state = await app.Sessions.GetStateAsync(sessionId, CancellationToken.None);
        var rows = await app.Sessions.ListReservationsAsync(sessionId, CancellationToken.None);
        Assert.NotNull(state);
        Assert.Equal(expectedReserved, state.Reserved);
        Assert.Equal(state.Reserved, rows.Where(r => r.HoldsSeats).Sum(r => r.PartySize));
        Assert.True(state.Reserved <= state.Capacity);
        Assert.Equal(rows.Count(r => r.IsActive), rows.Select(r => r.Phone).Distinct().Count(p => rows.Any(r => r.Phone == p && r.IsActive)));
        var markers = 0;
        await foreach (var _ in app.Sessions.QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, CancellationToken.None))
        {
            markers++;
        }

        Assert.Equal(rows.Count(r => r.IsActive), markers);
    }
}
