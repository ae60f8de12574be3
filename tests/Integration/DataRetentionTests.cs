using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

[Collection(AzuriteCollection.Name)]
public sealed class DataRetentionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task EraseExpired_AfterRetention_NamesAndPhonesGoneCountsKept()
    {
        var programId = TestCatalog.UniqueProgramId("keep");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 10)));
        var sessionId = TestCatalog.SessionId(programId);
        var made = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(1, partySize: 2), null, CancellationToken.None);
        await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(2, partySize: 3), null, CancellationToken.None);

        // 29 days after the session (16:00 KST Sep 8) nothing is erased yet.
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 10, 7, 12, 0, 0, TimeSpan.FromHours(9)));
        await app.Get<DataRetention>().EraseExpiredAsync(CancellationToken.None);
        Assert.All(await app.Sessions.ListReservationsAsync(sessionId, CancellationToken.None), r => Assert.NotEqual("", r.Name));

        app.Clock.SetUtcNow(new DateTimeOffset(2024, 10, 8, 17, 0, 0, TimeSpan.FromHours(9)));
        var report = await app.Get<DataRetention>().EraseExpiredAsync(CancellationToken.None);

        // The store is shared with other tests: their ended sessions are erased too.
        Assert.True(report.Erased(ErasureKinds.Reservations) >= 2);
        Assert.True(report.Erased(ErasureKinds.PhoneRows) >= 2);
        var rows = await app.Sessions.ListReservationsAsync(sessionId, CancellationToken.None);
        Assert.All(rows, r => Assert.Equal(("", ""), (r.Name, r.Phone)));
        Assert.Equal(5, rows.Sum(r => r.PartySize));
        Assert.Equal(5, (await app.Sessions.GetStateAsync(sessionId, CancellationToken.None))!.Reserved);
        var lookup = await app.Lookups.LookupAsync(made.Value!.Reservation.Code, new PhoneRequest(CoreHarness.Phone(1)), CancellationToken.None);
        Assert.False(lookup.IsSuccess);
        var markers = 0;
        await foreach (var _ in app.Sessions.QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, CancellationToken.None))
        {
            markers++;
        }

        Assert.Equal(0, markers);
    }
}
