using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Staff;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Erasure is driven by what is stored: two seasons in one store, the old one no longer in the
/// catalog the app serves, and a scan of every table and queue afterwards for every name and every
/// form of every phone number.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureAcrossSeasonsTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);
    private const string NewSunday = "2025-09-07";

    private sealed record Visitor(string Name, string Phone, bool Old)
    {
        public string E164 => KoreanMobile.TryParse(Phone, out var m) ? m.E164 : throw new InvalidOperationException(Phone);
    }

    private static string Token() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A number nobody else's test uses: 010 and eight random digits that parse as a Korean mobile (not every block does).</summary>
    private static string RandomPhone() => EndToEnd.RunningApp.NewPhone();

    private static CatalogDocument NewSeason(string programId)
    {
        var program = TestCatalog.Program(programId, capacity: 10) with
        {
            Sessions = [new ScheduleDocument { Dates = [NewSunday], Times = ["15:00"], Capacity = 10 }],
        };
        return TestCatalog.Create($"fest-new-{programId}", program) with { Dates = [NewSunday] };
    }

    private static async Task<ReservationView> BookAsync(CoreHarness app, string sessionId, Visitor visitor, bool waitlist = false, string? key = null)
    {
        var made = await app.Reservations.ReserveAsync(sessionId, new ReservationRequest(visitor.Name, visitor.Phone, 1, "ko", waitlist), key, None);
        Assert.True(made.IsSuccess, made.IsSuccess ? "" : made.Error.Detail);
        return made.Value.Reservation;
    }

    /// <summary>Delivers every SMS the harness queued, through the real sender service (SmsLog rows, masked recipients).</summary>
    private static async Task DeliverSmsAsync(CoreHarness app)
    {
        var queue = app.Get<StorageTables>().SmsQueue;
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                await app.Get<SmsSendService>().HandleAsync(message.Body.ToString(), message.DequeueCount, None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    private static async Task<CapacityTotals> TotalsAsync(CoreHarness app, string date)
    {
        var board = await app.Get<CapacityBoard>().GetCapacityAsync(date, None);
        Assert.True(board.IsSuccess);
        return board.Value.Totals;
    }

    [Fact]
    public async Task EraseExpired_TwoSeasonsOldOneNotInTheCatalog_ScanFindsNoErasedNameOrPhoneAnywhere_CountsKept()
    {
        var token = Token();
        var oldVisitors = Enumerable.Range(1, 6).Select(i => new Visitor($"방문자 {token} old {i}", RandomPhone(), true)).ToList();
        var newVisitors = Enumerable.Range(1, 3).Select(i => new Visitor($"방문자 {token} new {i}", RandomPhone(), false)).ToList();
        var recorder = new RecordingSmsSender();
        void Sms(IServiceCollection s) => s.AddSingleton<ISmsSender>(recorder);

        // The old season: two programs on 2024-09-08 (one of them written before SessionsByEnd existed).
        var parade = TestCatalog.UniqueProgramId("eraseold");
        var yoga = TestCatalog.UniqueProgramId("eraseyoga");
        await using var old = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-old-{parade}", TestCatalog.Program(parade, capacity: 3), TestCatalog.Program(yoga, capacity: 5)), services: Sms);
        var paradeSession = TestCatalog.SessionId(parade);
        var yogaSession = TestCatalog.SessionId(yoga);
        var confirmed = await BookAsync(old, paradeSession, oldVisitors[0], key: $"key-{token}");
        var checkedIn = await BookAsync(old, paradeSession, oldVisitors[1]);
        var cancelled = await BookAsync(old, paradeSession, oldVisitors[2]);
        var promoted = await BookAsync(old, paradeSession, oldVisitors[3], waitlist: true);
        var waiting = await BookAsync(old, paradeSession, oldVisitors[4], waitlist: true);
        var yogaBooking = await BookAsync(old, yogaSession, oldVisitors[5]);
        Assert.Equal(("waitlisted", "waitlisted"), (promoted.Status, waiting.Status));
        Assert.True((await old.Get<CheckIn>().CheckInAsync(checkedIn.Code, None)).IsSuccess);
        var reason = $"{oldVisitors[2].Name} called from {oldVisitors[2].Phone}";
        Assert.True((await old.Get<StaffCancellation>().CancelAsync(cancelled.Code, new StaffCancelRequest(reason), None)).IsSuccess);
        await DeliverSmsAsync(old);

        // The new season, served by an app whose catalog no longer lists the old one.
        var fresh = TestCatalog.UniqueProgramId("erasenew");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString, NewSeason(fresh), services: Sms,
            clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 9, 2, 12, 0, 0, Kst)));
        var freshSession = $"{fresh}.20250907.1500";
        foreach (var visitor in newVisitors)
        {
            await BookAsync(app, freshSession, visitor, key: $"key-{token}-{visitor.Name}");
        }

        await DeliverSmsAsync(app);
        Assert.Null((await app.Get<CatalogService>().GetAsync(None)).FindSession(paradeSession));
        Assert.NotEmpty(recorder.Sent);

        // The yoga session's partition predates the index: only the one-time backfill can find it.
        var byEnd = old.Get<StorageTables>().SessionsByEnd;
        await byEnd.DeleteEntityAsync(SessionsByEnd.BucketOf(new DateTimeOffset(2024, 9, 8, 16, 0, 0, Kst)), yogaSession);
        await byEnd.DeleteEntityAsync(SessionsByEnd.StatePartition, "backfill");

        var oldBefore = await TotalsAsync(old, TestCatalog.Sunday);
        var newBefore = await TotalsAsync(app, NewSunday);
        var before = await StoreScan.ReadAsync(azurite.ConnectionString);
        Assert.All(oldVisitors, v => Assert.NotEmpty(before.FindText(v.Name)));
        Assert.All(oldVisitors, v => Assert.NotEmpty(before.FindPhone(v.Phone)));

        // 13 days after the new season's session: the old season is a year past retention.
        app.Clock.SetUtcNow(new DateTimeOffset(2025, 9, 20, 4, 0, 0, Kst));
        var run = await app.Get<DataRetention>().EraseExpiredAsync(None);

        Assert.True(run.SessionsBackfilled >= 1);
        Assert.True(run.Sessions >= 2);
        Assert.True(run.Erased(ErasureKinds.Reservations) >= 6);
        var scan = await StoreScan.ReadAsync(azurite.ConnectionString);
        Assert.Contains("SessionsByEnd", scan.Tables);
        Assert.Contains(scan.Queues, q => q.EndsWith("-poison", StringComparison.Ordinal));
        // The old season's app hashed its phones with its own key (keys differ per harness, as after a rotation).
        var hasher = old.Get<PhoneHasher>();
        foreach (var visitor in oldVisitors)
        {
            Assert.Empty(scan.FindText(visitor.Name));
            Assert.Empty(scan.FindPhone(visitor.Phone));
            Assert.Empty(scan.FindText(visitor.E164));
            Assert.Empty(scan.FindText(hasher.Hash(visitor.E164)));
        }

        Assert.Empty(scan.FindText(reason));
        foreach (var visitor in newVisitors)
        {
            Assert.NotEmpty(scan.FindText(visitor.Name));
            Assert.NotEmpty(scan.FindPhone(visitor.Phone));
        }

        Assert.Equal(oldBefore, await TotalsAsync(old, TestCatalog.Sunday));
        Assert.Equal(newBefore, await TotalsAsync(app, NewSunday));
        var rows = await old.Sessions.ListReservationsAsync(paradeSession, None);
        Assert.Equal(
            new[] { (cancelled.Code, "cancelled"), (checkedIn.Code, "checked-in"), (confirmed.Code, "confirmed"), (promoted.Code, "confirmed"), (waiting.Code, "waitlisted") }.Order().ToList(),
            rows.Select(r => (ReservationCode.Display(r.Code), r.Status)).Order().ToList());
        Assert.All(rows, r => Assert.Equal(("", "", null), (r.Name, r.Phone, r.CancelReason)));
        Assert.All(rows, r => Assert.NotNull(r.ErasedAt));
        Assert.NotNull(rows.Single(r => r.Status == "checked-in").CheckedInAt);

        // The run is on record for staff, and a second run changes nothing.
        var listed = (await app.Get<ErasureRuns>().ListAsync("100", None)).Value!.Single(r => r.RunId == run.RunId);
        Assert.Equal((run.Sessions, run.Erased(ErasureKinds.Reservations), "2025-08-20T19:00:00Z"),
            (listed.Sessions, listed.Rows[ErasureKinds.Reservations], listed.Cutoff));
        var again = await app.Get<DataRetention>().EraseExpiredAsync(None);
        Assert.Equal((0, 0), (again.SessionsBackfilled, again.Erased(ErasureKinds.Reservations)));
        Assert.Equal(oldBefore, await TotalsAsync(old, TestCatalog.Sunday));
        Assert.Equal(rows, await old.Sessions.ListReservationsAsync(paradeSession, None));
        Assert.Empty((await StoreScan.ReadAsync(azurite.ConnectionString)).FindText(oldVisitors[0].Name));
        Assert.Equal(yogaBooking.Code, ReservationCode.Display((await old.Sessions.ListReservationsAsync(yogaSession, None)).Single(r => r.Name == "").Code));
    }

    [Fact]
    public async Task AfterErasure_StaffCancelSaysWhy_VisitorLookupAndCancelFindNothing_CheckInSaysWhy()
    {
        var programId = TestCatalog.UniqueProgramId("erasedops");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 1)));
        var sessionId = TestCatalog.SessionId(programId);
        var seated = new Visitor($"방문자 {Token()}", RandomPhone(), true);
        var waiting = new Visitor($"방문자 {Token()}", RandomPhone(), true);
        var confirmed = await BookAsync(app, sessionId, seated);
        var waitlisted = await BookAsync(app, sessionId, waiting, waitlist: true);
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 10, 8, 17, 0, 0, Kst));
        await app.Get<DataRetention>().EraseExpiredAsync(None);
        var stateBefore = await app.Sessions.GetStateAsync(sessionId, None);

        foreach (var code in new[] { confirmed.Code, waitlisted.Code })
        {
            var staff = await app.Get<StaffCancellation>().CancelAsync(code, new StaffCancelRequest("phoned: 010-1234-5678"), None);
            Assert.Equal(ErrorCode.PersonalDataErased, staff.Error?.Code);
        }

        foreach (var (code, visitor) in new[] { (confirmed.Code, seated), (waitlisted.Code, waiting) })
        {
            Assert.Equal(ErrorCode.NotFound, (await app.Lookups.LookupAsync(code, new PhoneRequest(visitor.Phone), None)).Error?.Code);
            Assert.Equal(ErrorCode.NotFound, (await app.Cancellations.CancelAsync(code, new PhoneRequest(visitor.Phone), None)).Error?.Code);
        }

        Assert.Equal(ErrorCode.NotConfirmed, (await app.Get<CheckIn>().CheckInAsync(waitlisted.Code, None)).Error?.Code);
        Assert.Equal(stateBefore, await app.Sessions.GetStateAsync(sessionId, None));
        Assert.All(await app.Sessions.ListReservationsAsync(sessionId, None), r => Assert.Null(r.CancelReason));

        // Nothing in the partition is keyed by a phone's hash, and the waitlist ticket names the row under its code.
        var partition = app.Get<StorageTables>().Sessions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {sessionId}"));
        await foreach (var row in partition)
        {
            Assert.False(row.RowKey.StartsWith(SessionRows.PhoneMarkerPrefix, StringComparison.Ordinal), row.RowKey);
            if (row.RowKey.StartsWith(SessionRows.WaitlistPrefix, StringComparison.Ordinal))
            {
                Assert.Equal(SessionRows.Reservation(row.GetString("Code")), row.GetString("Row"));
            }
        }
    }

    [Fact]
    public async Task StaffCancel_ReservationWhosePhoneRowIsGone_Cancels_NotContended()
    {
        // A reservation under its code whose phone marker is gone (rows as an older layout or a
        // partial repair left them): the cancel deletes a marker that is not there.
        var programId = TestCatalog.UniqueProgramId("gone-marker");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 3)));
        var sessionId = TestCatalog.SessionId(programId);
        var visitor = new Visitor($"방문자 {Token()}", RandomPhone(), false);
        var made = await BookAsync(app, sessionId, visitor);
        var sessions = app.Get<StorageTables>().Sessions;
        var phoneRow = SessionRows.PhoneMarker(app.Get<PhoneHasher>().Hash(visitor.E164));
        var row = (await sessions.GetEntityAsync<TableEntity>(sessionId, phoneRow)).Value;
        var code = row.GetString("Code");
        await sessions.AddEntityAsync(SessionEntities.ToRow(SessionEntities.ToReservation(row), SessionRows.Reservation(code)));
        await sessions.DeleteEntityAsync(sessionId, phoneRow);

        var cancelled = await app.Get<StaffCancellation>().CancelAsync(made.Code, new StaffCancelRequest("rain"), None);

        Assert.True(cancelled.IsSuccess, cancelled.Error?.Detail);
        Assert.Equal(("cancelled", 0), (cancelled.Value!.Status, (await app.Sessions.GetStateAsync(sessionId, None))!.Reserved));
    }

    [Fact]
    public async Task EraseExpired_StoredIdempotentAnswers_KeptTheirDayThenDeleted()
    {
        var programId = TestCatalog.UniqueProgramId("eraseidem");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 5)));
        // ASCII, so that it reads as stored in the JSON answer (which escapes Hangul).
        var visitor = new Visitor($"Visitor {Token()}", RandomPhone(), false);
        var key = $"idem-{Token()}";
        await BookAsync(app, TestCatalog.SessionId(programId), visitor, key: key);
        var row = (IdempotencyStore.HashKey(IdempotentReserve.Scope, key), "");
        var idempotency = app.Get<StorageTables>().Idempotency;
        Assert.Contains(visitor.Name, (await idempotency.GetEntityAsync<TableEntity>(row.Item1, row.Item2)).Value.GetString("Response"));

        app.Clock.Advance(TimeSpan.FromHours(23));
        await app.Get<DataRetention>().EraseExpiredAsync(None);
        Assert.True((await idempotency.GetEntityIfExistsAsync<TableEntity>(row.Item1, row.Item2)).HasValue);

        app.Clock.Advance(TimeSpan.FromHours(2));
        var run = await app.Get<DataRetention>().EraseExpiredAsync(None);
        Assert.False((await idempotency.GetEntityIfExistsAsync<TableEntity>(row.Item1, row.Item2)).HasValue);
        Assert.True(run.Erased(IdempotencyPersonalData.Kind) >= 1);
    }
}
