using System.Collections.Concurrent;
using System.Globalization;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Reservations;
using FestivalReservations.DevHost;
using FestivalReservations.Testing;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Twilio.Clients;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>
/// Faults during a rush of concurrent reservations: storage stopped and started again with its
/// data, a Twilio that fails half its calls, the app process killed and started again. After
/// each, the store is read directly: every visitor told 201 is stored as confirmed and got exactly
/// one confirmed SMS, nothing is oversold, and every request during the fault was answered with a
/// problem the client can act on (503 + Retry-After), never a 500 or a hang.
/// Each test has an Azurite of its own (the outage must not disturb other tests); it sits in the
/// Azurite collection so it does not run alongside the other storage-heavy tests.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The longest any answer may take: a hang would show up as more (the client gives up at 30 s).</summary>
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task StorageStoppedMidRush_AnswersRetryableProblems_LosesNothing()
    {
        const string session = "traditional-games.20240908.1400";
        const int capacity = 100;
        var sender = new RecordingSmsSender();
        await using var app = await RunningApp.StartAsync(_azurite, services: s => s.AddSingleton<ISmsSender>(sender));
        await using var load = ReservationLoad.Start(app.Client, session, workers: 6, pause: TimeSpan.FromMilliseconds(150));

        await load.WaitUntilAsync(l => l.Count(201) >= 20, Patience, "20 confirmed before the outage");
        await _azurite.StopAsync();
        var before503 = load.Count(503);
        await load.WaitUntilAsync(l => l.Count(503) >= before503 + 10, Patience, "503s while storage is down");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _azurite.StartAsync();
        await load.WaitUntilAsync(l => l.Count(409, "session-full") >= 10, Patience, "the session selling out after the outage");
        await load.StopAsync();
        output.WriteLine($"storage outage: {load.Summary()}");

        var outcomes = load.Outcomes.ToList();
        AssertOnlyExpectedAnswers(outcomes, allowUnreachable: false);
        Assert.True(load.Count(503, "storage-unavailable") >= 10, load.Summary());

        var sweeper = app.Services.GetRequiredService<OutboxSweeper>();
        sweeper.MinimumAge = TimeSpan.Zero; // a minute is long for a test; the sweep's age is its only difference
        var functions = app.Services.GetRequiredService<DevHostFunctions>();
        int Sends(Reservation r) => sender.Sent.Count(m => m.Kind == SmsKind.Confirmed && m.To == r.Phone);
        var ledger = new FaultLedger(_azurite.ConnectionString, session, capacity);
        var confirmed = await ledger.WaitUntilSettledAsync(Sends, Patience, () => functions.InvokeTimerAsync("SweepOutbox"));
        await app.WaitPastRedeliveryAsync(); // a second SMS would have arrived by now
        await ledger.AssertConsistentAsync(outcomes, Sends);
        Assert.Equal(capacity, confirmed.Count); // sold out exactly, none oversold
    }

    [Fact]
    public async Task TwilioFailingHalfItsCalls_EveryConfirmedVisitorGetsExactlyOneSms()
    {
        const string session = "bubble-playground.20240908.1330";
        const int capacity = 80;
        await using var twilio = await FakeTwilio.StartAsync();
        var calls = new ConcurrentDictionary<string, int>();
        var accepted = new ConcurrentDictionary<string, int>();
        var failures = 0;
        twilio.AnswerFor = form =>
        {
            var to = form["To"];
            if (calls.AddOrUpdate(to, 1, (_, n) => n + 1) % 2 == 1)
            {
                // Every number's first call fails, alternately as an outage and as rate limiting.
                return Interlocked.Increment(ref failures) % 2 == 0 ? (500, "") : FakeTwilio.Error(429, 20429);
            }

            accepted.AddOrUpdate(to, 1, (_, n) => n + 1);
            return null;
        };
        await using var app = await RunningApp.StartAsync(_azurite, new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Twilio:From"] = "+15005550006",
        }, s => s.AddSingleton<ITwilioRestClient>(twilio.CreateClient()));
        await using var load = ReservationLoad.Start(app.Client, session, workers: 8, pause: TimeSpan.FromMilliseconds(50));

        await load.WaitUntilAsync(l => l.Count(409, "session-full") >= 10, Patience, "the session selling out");
        await load.StopAsync();
        output.WriteLine($"twilio half failing: {load.Summary()}");
        var outcomes = load.Outcomes.ToList();
        AssertOnlyExpectedAnswers(outcomes, allowUnreachable: false);

        int Sends(Reservation r) => accepted.GetValueOrDefault(r.Phone);
        var ledger = new FaultLedger(_azurite.ConnectionString, session, capacity);
        var confirmed = await ledger.WaitUntilSettledAsync(Sends, Patience);
        await app.WaitPastRedeliveryAsync();
        await ledger.AssertConsistentAsync(outcomes, Sends);
        Assert.Equal(capacity, confirmed.Count);
        var total = calls.Values.Sum();
        output.WriteLine($"Twilio calls {total}, failed {failures}, accepted {accepted.Values.Sum()}");
        Assert.Equal(total, 2 * failures); // half of all calls failed
    }

    [Fact]
    public async Task AppProcessKilledMidRush_RestartedAppLosesNothing()
    {
        const string session = "kids-chalk-drawing.20240908.1330";
        const int capacity = 60;
        // The first app only books: the SMS its crash leaves behind are sent by the second one,
        // which has the same storage and sms queue. (Killing a process between Twilio's acceptance
        // and the SID being recorded can send one SMS twice, as with any at-least-once sender; see
        // the README's privacy and faults notes.)
        var settings = RunningApp.DefaultSettings(_azurite)
            .Set("DevHost:DisableQueues", "true")
            .Set("Logging:LogLevel:Default", "Warning")
            .Set("Logging:LogLevel:FestivalReservations.Core.Notifications.Sending", "Information");
        var first = await DevHostProcess.StartAsync(settings);
        await using var _ = first;
        using var firstClient = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await using var load = ReservationLoad.Start(firstClient, session, workers: 6, pause: TimeSpan.FromMilliseconds(100));

        await load.WaitUntilAsync(l => l.Count(201) >= 20, Patience, "20 confirmed before the kill");
        await first.KillAsync();
        await load.WaitUntilAsync(l => l.Outcomes.Any(o => o.Status == 0), Patience, "requests failing while the app is dead");
        var orphaned = await new FaultLedger(_azurite.ConnectionString, session, capacity).OutboxCountAsync();
        output.WriteLine($"outbox rows the dead app left: {orphaned}");

        // The restarted app's clock is three minutes on: what the dead one left in the outbox is
        // old enough for the sweep, as it would be on a real restart.
        var restarted = settings.Copy()
            .Set("Festival:Now", RunningApp.PinnedNow.AddMinutes(3).ToString("O", CultureInfo.InvariantCulture))
            .Set("DevHost:DisableQueues", "false");
        var second = await DevHostProcess.StartAsync(restarted);
        await using var __ = second;
        using var secondClient = new HttpClient { BaseAddress = second.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        load.Client = secondClient;
        await load.WaitUntilAsync(l => l.Count(409, "session-full") >= 10, Patience, "the session selling out after the restart");
        await load.StopAsync();
        output.WriteLine($"app killed: {load.Summary()}");
        var outcomes = load.Outcomes.ToList();
        AssertOnlyExpectedAnswers(outcomes, allowUnreachable: true);

        using var staff = new HttpClient { BaseAddress = second.BaseAddress };
        staff.DefaultRequestHeaders.Add("x-functions-key", RunningApp.StaffKey);
        async Task SweepAsync()
        {
            using var response = await staff.PostAsync("admin/functions/SweepOutbox", new StringContent("{\"input\":\"\"}"));
            Assert.True(response.IsSuccessStatusCode, $"sweep: {(int)response.StatusCode}");
        }

        var lines = () => first.Output.Lines.Concat(second.Output.Lines).Where(l => l.Contains("SMS confirmed to", StringComparison.Ordinal)).ToList();
        int Sends(Reservation r)
        {
            var code = ReservationCode.TryParse(r.Code, out var parsed) ? parsed.ToString() : r.Code;
            return lines().Count(l => l.Contains(code, StringComparison.Ordinal));
        }

        var ledger = new FaultLedger(_azurite.ConnectionString, session, capacity);
        var confirmed = await ledger.WaitUntilSettledAsync(Sends, Patience, SweepAsync);
        await Task.Delay(restarted.RedeliveryWindow);
        await ledger.AssertConsistentAsync(outcomes, Sends);
        Assert.Equal(capacity, confirmed.Count);
    }

    /// <summary>201, sold out, or a retryable 503 with Retry-After; never a 500, never a hang. Unreachable (0) only while the app is dead.</summary>
    private static void AssertOnlyExpectedAnswers(IReadOnlyList<LoadOutcome> outcomes, bool allowUnreachable)
    {
        var unexpected = outcomes.Where(o => !(
            o.Status == 201
            || (o.Status == 409 && o.ProblemCode == "session-full")
            || (o.Status == 503 && o.ProblemCode == "storage-unavailable" && o.HasRetryAfter)
            || (allowUnreachable && o.Status == 0 && o.Error == nameof(HttpRequestException)))).ToList();
        Assert.True(unexpected.Count == 0, $"unexpected answers: {string.Join("; ", unexpected.Take(20))}");
        var slowest = outcomes.Max(o => o.Elapsed);
        Assert.True(slowest < NoHang, $"an answer took {slowest.TotalSeconds:0.0} s");
    }
}
