using System.Net.Http.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.DevHost;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>
/// Faults that are not clean: a fault-injecting proxy between the app and Azurite forwards a call
/// and drops its reply, resets, answers 500/503 or holds an answer past the SDK's timeout. Visitors
/// retry with their Idempotency-Key as a careful client does. The store, read directly, must
/// agree with what everyone was told.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LostReplyFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    private async Task<(FaultProxies Proxies, RunningApp App, RecordingSmsSender Sender)> StartAsync(string mode, int sdkRetries = 3)
    {
        var proxies = await FaultProxies.StartAsync(_azurite.TablePort, _azurite.QueuePort, _azurite.BlobPort);
        var sender = new RecordingSmsSender();
        var app = await RunningApp.StartAsync(_azurite, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = proxies.ConnectionString,
            ["AzureWebJobsStorage"] = proxies.ConnectionString,
            ["Reservations:CommitMode"] = mode,
            // A call held past the SDK's network timeout costs a second here, not ten.
            ["Storage:NetworkTimeout"] = "00:00:01",
            ["Storage:MaxRetries"] = sdkRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The queue retries a failed delivery within a second here, so the send lease (how long a
            // delivery that may have died holds a message) is a second too, as host.json's minute of
            // retries outlasts the shipped two minutes.
            ["Sms:SendLease"] = "00:00:01",
            ["DevHost:QueueRetryDelay"] = "00:00:00.300",
        }, s => s.AddSingleton<ISmsSender>(sender));
        return (proxies, app, sender);
    }

    private static int ConfirmedTo(RecordingSmsSender sender, string e164) => sender.Sent.Count(m => m.Kind == SmsKind.Confirmed && m.To == e164);

    private static string E164(string phone) => Core.Phones.KoreanMobile.TryParse(phone, out var m) ? m.E164 : phone;

    /// <summary>Books with one key until a final answer, as a client retrying 503s and failures does.</summary>
    private static async Task<Visitor> BookAsync(RunningApp app, string sessionId) =>
        (await RetryingVisitors.RunAsync(app.Client, sessionId, [RunningApp.NewPhone()], 1, maxTries: 20, seed: Random.Shared.Next())).Single();

    [Theory]
    [InlineData("Batched")]
    [InlineData("Single")]
    public async Task Reserve_SessionTransactionReplyLost_201WithACodeThatWorksAndOneConfirmedSms(string mode)
    {
        const string session = "bubble-playground.20240908.1330";
        var (proxies, app, sender) = await StartAsync(mode);
        await using var _ = proxies;
        await using var __ = app;

        proxies.Add(FaultRule.Once(CallKind.SessionTransaction, Fault.DropReply));
        var checkedIn = await BookAsync(app, session);
        proxies.Add(FaultRule.Once(CallKind.SessionTransaction, Fault.DropReply));
        var cancelled = await BookAsync(app, session);
        output.WriteLine($"{mode}: {string.Join("; ", proxies.Injected)}; answers {string.Join(", ", checkedIn.Answers)} / {string.Join(", ", cancelled.Answers)}");

        Assert.Equal(2, proxies.Injected.Count(f => f.Fault is DropReplyFault));
        foreach (var visitor in new[] { checkedIn, cancelled })
        {
            Assert.Equal(201, visitor.Final?.Status);
            Assert.DoesNotContain(visitor.Answers, a => a.ProblemCode == "duplicate-reservation");
            using var lookup = await app.Client.PostAsJsonAsync($"api/reservations/{visitor.Final!.Code}/lookup", new { phone = visitor.Phone });
            Assert.Equal(200, (int)lookup.StatusCode);
        }

        using (var checkIn = await app.Staff.PostAsync($"api/staff/reservations/{checkedIn.Final!.Code}/check-in", null))
        {
            Assert.Equal(200, (int)checkIn.StatusCode);
        }

        using (var cancel = await app.Client.PostAsJsonAsync($"api/reservations/{cancelled.Final!.Code}/cancel", new { phone = cancelled.Phone }))
        {
            Assert.Equal(200, (int)cancel.StatusCode);
        }

        var deadline = DateTime.UtcNow + Patience;
        while (ConfirmedTo(sender, E164(checkedIn.Phone)) == 0 || ConfirmedTo(sender, E164(cancelled.Phone)) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "a confirmed SMS never went out");
            await app.Services.GetRequiredService<DevHostFunctions>().InvokeTimerAsync("SweepOutbox");
            await Task.Delay(200);
        }

        await app.WaitPastRedeliveryAsync();
        Assert.Equal(1, ConfirmedTo(sender, E164(checkedIn.Phone)));
        Assert.Equal(1, ConfirmedTo(sender, E164(cancelled.Phone)));
    }

    [Theory]
    [InlineData("Batched")]
    [InlineData("Single")]
    public async Task Rush_FivePercentOfStorageCallsFaulted_EveryAnswerIsTheTruth(string mode)
    {
        const string session = "kids-chalk-drawing.20240908.1330";
        const int capacity = 40;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FR_FAULT_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (FR_FAULT_SEED={seed} replays this run)");
        // No SDK retries: every fault reaches the app's own read-backs, and many reach the visitors.
        var (proxies, app, sender) = await StartAsync(mode, sdkRetries: 0);
        await using var _ = proxies;
        await using var __ = app;
        using (var patch = await app.Staff.PatchAsJsonAsync($"api/staff/sessions/{session}", new { capacity }))
        {
            Assert.Equal(200, (int)patch.StatusCode);
        }

        var rule = FaultRule.Rate(0.05,
            [CallKind.SessionTransaction, CallKind.SessionRead, CallKind.SessionWrite, CallKind.CodeClaim, CallKind.CodeRead,
             CallKind.Idempotency, CallKind.SmsLog, CallKind.QueueSend],
            [Fault.DropReply, Fault.ResetBeforeForward, Fault.Status500, Fault.Status503, Fault.Delay(TimeSpan.FromSeconds(1.5))],
            seed);
        proxies.Add(rule);
        var phones = Enumerable.Range(0, 160).Select(_ => RunningApp.NewPhone()).Distinct().ToList();
        var visitors = await RetryingVisitors.RunAsync(app.Client, session, phones, concurrency: 16, maxTries: 30, seed);
        var injected = proxies.Injected;
        output.WriteLine($"{mode}: {visitors.Sum(v => v.Answers.Count)} requests, {injected.Count} faults injected: " +
            string.Join(", ", injected.GroupBy(f => $"{f.Kind} {f.Fault}").OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}")));
        output.WriteLine("answers: " + string.Join(", ", visitors.SelectMany(v => v.Answers).GroupBy(a => $"{a.Status} {a.ProblemCode ?? a.Error}").Select(g => $"{g.Key} ×{g.Count()}")));
        Assert.True(injected.Count >= 10, $"only {injected.Count} faults were injected");

        // The faults stop; what was left pending (outbox rows, queue messages) settles.
        proxies.ClearRules();
        app.Services.GetRequiredService<OutboxSweeper>().MinimumAge = TimeSpan.Zero;
        var functions = app.Services.GetRequiredService<DevHostFunctions>();
        var ledger = new FaultLedger(_azurite.ConnectionString, session, capacity);
        await ledger.WaitUntilSettledAsync(r => ConfirmedTo(sender, r.Phone), Patience, () => functions.InvokeTimerAsync("SweepOutbox"));
        await app.WaitPastRedeliveryAsync();
        await ledger.AssertToldTheTruthAsync(visitors, phone => ConfirmedTo(sender, phone));
        Assert.All(visitors, v => Assert.True(v.Final is { Status: 201 } or { Status: 409, ProblemCode: "session-full" },
            $"{v.Phone} ended with {string.Join(", ", v.Answers)}"));
    }
}
