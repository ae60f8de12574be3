using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Abuse that costs seats, money or someone else's booking, held in storage so that four app
/// instances over one Azurite agree: the per-phone daily cap and overlap rule, the per-recipient
/// SMS budget, and the per-code lockout of look-ups by phone.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PhoneLimitsTests(AzuriteFixture azurite)
{
    private const string Victim = "010-7777-0001";

    /// <summary>Eight sessions one Sunday: 13:00-14:00 … 20:00-21:00, none overlapping, on as many programs.</summary>
    private static (CatalogDocument Catalog, string[] Sessions) EightHours(string name)
    {
        var times = Enumerable.Range(13, 8).Select(h => $"{h}:00").ToArray();
        var programs = times.Select(t => TestCatalog.Program(TestCatalog.UniqueProgramId(name), capacity: 50, time: t)).ToArray();
        return (TestCatalog.Create($"fest-{programs[0].ProgramId}", programs),
            programs.Select((p, i) => TestCatalog.SessionId(p.ProgramId, times[i].Replace(":", "", StringComparison.Ordinal))).ToArray());
    }

    private async Task<CoreHarness[]> StartAsync(CatalogDocument catalog, int instances, Action<IServiceCollection>? services = null)
    {
        var apps = new CoreHarness[instances];
        for (var i = 0; i < instances; i++)
        {
            apps[i] = await CoreHarness.StartAsync(azurite.ConnectionString, catalog, "Batched", services: services);
        }

        return apps;
    }

    [Fact]
    public async Task TwentyAtOnceFromOnePhone_AcrossEightSessions_FourInstances_NeverMoreThanTheCap()
    {
        var (catalog, sessions) = EightHours("cap");
        var apps = await StartAsync(catalog, 4);
        try
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
                apps[i % 4].Reservations.ReserveAsync(sessions[i % 8], CoreHarness.Request(i, phone: Victim), null, CancellationToken.None))));

            var held = new List<Reservation>();
            foreach (var sessionId in sessions)
            {
                held.AddRange((await apps[0].Sessions.ListReservationsAsync(sessionId, CancellationToken.None)).Where(r => r.IsActive));
            }

            Assert.Equal(4, held.Count);
            Assert.Equal(4, held.Select(r => r.SessionId).Distinct().Count());
            Assert.Equal(4, results.Count(r => r.IsSuccess && !r.Value.Replayed));
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Contains(r.Error!.Code, new[] { ErrorCode.PhoneLimitReached, ErrorCode.DuplicateReservation }));
            Assert.Contains(results, r => !r.IsSuccess && r.Error!.Code == ErrorCode.PhoneLimitReached);

            // A cancel frees the day: the phone books a fifth session, and no more.
            var first = held[0];
            Assert.True((await apps[1].Cancellations.CancelAsync(first.Code, new PhoneRequest(Victim), CancellationToken.None)).IsSuccess);
            var free = sessions.Except(held.Select(r => r.SessionId)).ToList();
            Assert.True((await apps[2].Reservations.ReserveAsync(free[0], CoreHarness.Request(1, phone: Victim), null, CancellationToken.None)).IsSuccess);
            var fifth = await apps[3].Reservations.ReserveAsync(free[1], CoreHarness.Request(2, phone: Victim), null, CancellationToken.None);
            Assert.Equal(ErrorCode.PhoneLimitReached, fifth.Error?.Code);
        }
        finally
        {
            await Task.WhenAll(apps.Select(a => a.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task OverlappingSession_Refused_OtherPhonesUnaffected_AndTheRefusalGivesItsHoldBack()
    {
        var programA = TestCatalog.UniqueProgramId("overlap");
        var programB = TestCatalog.UniqueProgramId("overlap");
        var catalog = TestCatalog.Create($"fest-{programA}", TestCatalog.Program(programA, 10, time: "15:00"), TestCatalog.Program(programB, 10, time: "15:30"));
        var app = (await StartAsync(catalog, 1))[0];
        await using var _ = app;
        var a = TestCatalog.SessionId(programA);
        var b = TestCatalog.SessionId(programB, "1530");

        Assert.True((await app.Reservations.ReserveAsync(a, CoreHarness.Request(1, phone: Victim), null, CancellationToken.None)).IsSuccess);
        var overlapping = await app.Reservations.ReserveAsync(b, CoreHarness.Request(2, phone: Victim), null, CancellationToken.None);
        Assert.Equal(ErrorCode.OverlappingReservation, overlapping.Error?.Code);
        Assert.Empty(await app.Sessions.ListReservationsAsync(b, CancellationToken.None));
        Assert.True((await app.Reservations.ReserveAsync(b, CoreHarness.Request(3), null, CancellationToken.None)).IsSuccess);

        // The phone's day holds only the session it booked.
        var hash = app.Get<PhoneHasher>().Hash("+821077770001");
        Assert.Equal([a], (await app.Get<PhoneDayHolds>().ReadAsync(new DateOnly(2024, 9, 8), hash, CancellationToken.None)).Select(h => h.SessionId));
    }

    [Fact]
    public async Task HoldLeftByARequestThatDied_IsDroppedOnceItsGraceIsOver()
    {
        var (catalog, sessions) = EightHours("stale");
        var app = (await StartAsync(catalog, 1))[0];
        await using var _ = app;
        var festival = await app.Get<CatalogService>().GetAsync(CancellationToken.None);
        var hash = app.Get<PhoneHasher>().Hash("+821077770001");

        // Four holds whose requests died before their sessions were written.
        foreach (var sessionId in sessions.Take(4))
        {
            Assert.True((await app.Get<PhoneDayHolds>().HoldAsync(hash, festival.FindSession(sessionId)!, CancellationToken.None)).IsSuccess);
        }

        var refused = await app.Reservations.ReserveAsync(sessions[4], CoreHarness.Request(1, phone: Victim), null, CancellationToken.None);
        Assert.Equal(ErrorCode.PhoneLimitReached, refused.Error?.Code);

        app.Clock.Advance(PhoneDayHolds.Grace + TimeSpan.FromSeconds(1));
        Assert.True((await app.Reservations.ReserveAsync(sessions[4], CoreHarness.Request(1, phone: Victim), null, CancellationToken.None)).IsSuccess);
        Assert.Equal([sessions[4]], (await app.Get<PhoneDayHolds>().ReadAsync(new DateOnly(2024, 9, 8), hash, CancellationToken.None)).Select(h => h.SessionId));
    }

    [Fact]
    public async Task ReserveCancelLoopOnOneNumber_FourInstances_StopsSendingAtTheBudget_RestSuppressed()
    {
        var (catalog, sessions) = EightHours("bomb");
        var sender = new RecordingSmsSender();
        var apps = await StartAsync(catalog, 4, s => s.AddSingleton<ISmsSender>(sender));
        try
        {
            var messages = new List<OutboxMessage>();
            for (var loop = 0; loop < 6; loop++)
            {
                var app = apps[loop % 4];
                var booked = await app.Reservations.ReserveAsync(sessions[0], CoreHarness.Request(loop, phone: Victim), null, CancellationToken.None);
                Assert.True(booked.IsSuccess, booked.Error?.Detail);
                var code = booked.Value.Reservation.Code.Replace("-", "", StringComparison.Ordinal);
                Assert.True((await apps[(loop + 1) % 4].Cancellations.CancelAsync(code, new PhoneRequest(Victim), CancellationToken.None)).IsSuccess);
                messages.Add(OutboxMessage.For(sessions[0], code, SmsKind.Confirmed, app.Clock.GetUtcNow()));
                messages.Add(OutboxMessage.For(sessions[0], code, SmsKind.Cancelled, app.Clock.GetUtcNow()));
            }

            // The twelve SMS are sent by the four instances at once, each message delivered twice.
            await Task.WhenAll(messages.Select((m, i) => Task.Run(async () =>
            {
                await apps[i % 4].Get<SmsSendService>().HandleAsync(m, 1, CancellationToken.None);
                await apps[(i + 1) % 4].Get<SmsSendService>().HandleAsync(m, 2, CancellationToken.None);
            })));

            Assert.Equal(10, sender.Sent.Count);
            Assert.Equal(10, sender.Sent.Select(s => s.MessageId).Distinct().Count());
            var log = apps[0].Get<SmsLogStore>();
            var statuses = new List<string>();
            foreach (var message in messages)
            {
                statuses.Add((await log.GetAsync(message.MessageId, CancellationToken.None))!.Status);
            }

            Assert.Equal(2, statuses.Count(s => s == SmsStatus.Suppressed));
            Assert.Equal(10, statuses.Count(s => s == SmsStatus.Sent));
            var listed = await log.ListAsync(SmsStatus.Suppressed, null, CancellationToken.None);
            Assert.Equal(2, listed.Count(e => messages.Any(m => m.MessageId == e.MessageId)));
        }
        finally
        {
            await Task.WhenAll(apps.Select(a => a.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task TenWrongPhonesForOneCode_FromFourInstances_LockItForEveryone_ForFifteenMinutes()
    {
        var (catalog, sessions) = EightHours("lock");
        var apps = await StartAsync(catalog, 4);
        try
        {
            var booked = await apps[0].Reservations.ReserveAsync(sessions[0], CoreHarness.Request(1, phone: Victim), null, CancellationToken.None);
            var code = booked.Value!.Reservation.Code;
            var wrong = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
                apps[i % 4].Lookups.LookupAsync(code, new PhoneRequest($"010-8888-{i:D4}"), CancellationToken.None))));
            Assert.All(wrong, r => Assert.Equal(ErrorCode.NotFound, r.Error?.Code));

            // Locked: even the right phone, on any instance, for look-up and cancel alike.
            var lookup = await apps[3].Lookups.LookupAsync(code, new PhoneRequest(Victim), CancellationToken.None);
            Assert.Equal(ErrorCode.TooManyRequests, lookup.Error?.Code);
            Assert.True(lookup.Error!.RetryAfter > TimeSpan.FromMinutes(14));
            var cancel = await apps[2].Cancellations.CancelAsync(code, new PhoneRequest(Victim), CancellationToken.None);
            Assert.Equal(ErrorCode.TooManyRequests, cancel.Error?.Code);
            Assert.True((await apps[0].Sessions.ListReservationsAsync(sessions[0], CancellationToken.None)).Single().IsActive);

            foreach (var app in apps)
            {
                app.Clock.Advance(TimeSpan.FromMinutes(15));
            }

            Assert.True((await apps[1].Lookups.LookupAsync(code, new PhoneRequest(Victim), CancellationToken.None)).IsSuccess);
        }
        finally
        {
            await Task.WhenAll(apps.Select(a => a.DisposeAsync().AsTask()));
        }
    }
}
