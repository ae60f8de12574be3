using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Core.Telemetry;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Twilio.Clients;
using Catalogs = FestivalReservations.Tests.Integration.TestCatalog;

namespace FestivalReservations.Tests.Telemetry;

/// <summary>
/// The app in-process (devhost over Azurite, Twilio answered by a loopback fake) with OpenTelemetry's
/// in-memory exporters added to the app's own tracer and meter providers: one booking is one
/// trace from the HTTP function through the commit and the queue to the Twilio call, and a small
/// scripted run (3 confirmed, 1 duplicate, 1 session-full) gives exactly those figures.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OneBooking_IsOneTrace_AndTheScriptedRunsFiguresAreExact()
    {
        var programId = Catalogs.UniqueProgramId("telemetry");
        var sessionId = Catalogs.SessionId(programId);
        var catalog = Unit.Support.TestCatalog.WriteFile(Catalogs.Create($"telemetry-{Guid.NewGuid():N}"[..20], Catalogs.Program(programId, capacity: 3)));
        var spans = new LockedCollection<Activity>();
        var exported = new LockedCollection<Metric>();
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Festival:CatalogFile"] = catalog,
            ["Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Twilio:From"] = "+15005550006",
        }, s =>
        {
            s.AddSingleton<ITwilioRestClient>(twilio.CreateClient());
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(exported));
        });

        // The app's own meter (IMeterFactory: one per app, so other apps in this process count apart).
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var reservations = new MetricCollector<long>(meters, FestivalTelemetry.Name, FestivalTelemetry.Reservations);
        using var sms = new MetricCollector<long>(meters, FestivalTelemetry.Name, FestivalTelemetry.Sms);
        using var batchSizes = new MetricCollector<long>(meters, FestivalTelemetry.Name, FestivalTelemetry.CommitBatchSize);
        using var durations = new MetricCollector<double>(meters, FestivalTelemetry.Name, FestivalTelemetry.CommitDuration);
        using var conflicts = new MetricCollector<long>(meters, FestivalTelemetry.Name, FestivalTelemetry.CommitConflicts);
        using var queueAges = new MetricCollector<double>(meters, FestivalTelemetry.Name, FestivalTelemetry.SmsQueueAge);
        using var refusals = new MetricCollector<long>(meters, FestivalTelemetry.Name, FestivalTelemetry.RateLimitRefusals);

        var phones = Enumerable.Range(0, 4).Select(_ => RunningApp.NewPhone()).ToArray();
        await ReserveAsync(app, sessionId, phones[0], HttpStatusCode.Created);
        await Eventually(() => SentSpans(spans, sessionId).Any(), "the first booking's send span");
        var send = Assert.Single(SentSpans(spans, sessionId));
        await ReserveAsync(app, sessionId, phones[1], HttpStatusCode.Created);
        await ReserveAsync(app, sessionId, phones[0], HttpStatusCode.Conflict, "duplicate-reservation");
        await ReserveAsync(app, sessionId, phones[2], HttpStatusCode.Created);
        await ReserveAsync(app, sessionId, phones[3], HttpStatusCode.Conflict, "session-full");

        await Eventually(() => sms.GetMeasurementSnapshot().Count >= 3, "three SMS outcomes");

        // One trace: the HTTP function's span, the commit round, the queue write, the send and its Twilio call.
        var trace = TraceOf(spans, send.TraceId);
        var function = Assert.Single(trace, s => s.DisplayName == "CreateReservation");
        Assert.Equal(ActivityKind.Server, function.Kind);
        var round = Assert.Single(trace, s => s.DisplayName == "commit round");
        Assert.Equal(sessionId, round.GetTagItem("session.id"));
        Assert.Equal(1, round.GetTagItem("festival.commit.batch_size"));
        // Storage calls are in it as HTTP client spans: the session transaction and the queue write.
        Assert.Contains(trace, s => StorageCall(s, "/$batch"));
        Assert.Contains(trace, s => StorageCall(s, $"/{app.Settings.SmsQueueName}/messages"));
        Assert.Equal(ActivityKind.Consumer, send.Kind);
        var twilioCall = Assert.Single(trace, s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client
            && (s.GetTagItem("url.full") as string)?.Contains("/Messages.json", StringComparison.Ordinal) == true);
        Assert.Equal(send.SpanId, twilioCall.ParentSpanId);
        Assert.DoesNotContain(trace.SelectMany(s => s.TagObjects), t => t.Value is string v && phones.Any(p => v.Contains(p.Replace("-", "")[1..], StringComparison.Ordinal)));

        // Exactly the scripted run.
        Assert.Equal(
            new Dictionary<string, long> { ["confirmed"] = 3, ["duplicate"] = 1, ["session-full"] = 1 },
            reservations.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["outcome"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value)));
        Assert.Equal([("confirmed", "sent", 3L)],
            sms.GetMeasurementSnapshot().GroupBy(m => ((string)m.Tags["kind"]!, (string)m.Tags["outcome"]!)).Select(g => (g.Key.Item1, g.Key.Item2, g.Sum(m => m.Value))));
        Assert.Equal([1L, 1L, 1L], batchSizes.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.Equal("Batched", m.Tags["mode"]));
        Assert.Equal(3, durations.GetMeasurementSnapshot().Count);
        Assert.Empty(conflicts.GetMeasurementSnapshot());
        Assert.Empty(refusals.GetMeasurementSnapshot());
        Assert.Equal(3, queueAges.GetMeasurementSnapshot().Count);
        Assert.All(queueAges.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, Patience.TotalSeconds));

        // The same instruments reach the exporter (what Application Insights receives as customMetrics).
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());
        var names = exported.Snapshot().Where(m => m.MeterName == FestivalTelemetry.Name).Select(m => m.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { FestivalTelemetry.Reservations, FestivalTelemetry.Sms, FestivalTelemetry.CommitBatchSize,
            FestivalTelemetry.CommitDuration, FestivalTelemetry.SmsQueueAge }, names);
    }

    /// <summary>The send spans that called Twilio (their HTTP call has ended).</summary>
    private static List<Activity> SentSpans(LockedCollection<Activity> spans, string sessionId)
    {
        var all = spans.Snapshot();
        return all.Where(s => s.DisplayName == "sms send" && all.Any(c => c.ParentSpanId == s.SpanId && c.Source.Name == "System.Net.Http")
            && all.Any(r => r.TraceId == s.TraceId && r.DisplayName == "commit round" && Equals(r.GetTagItem("session.id"), sessionId))).ToList();
    }

    private static bool StorageCall(Activity span, string path) => span.Source.Name == "System.Net.Http" && span.Kind == ActivityKind.Client
        && (span.GetTagItem("url.full") as string)?.Contains(path, StringComparison.Ordinal) == true;

    private static List<Activity> TraceOf(LockedCollection<Activity> spans, ActivityTraceId id) =>
        spans.Snapshot().Where(s => s.TraceId == id).ToList();

    private static async Task<JsonElement> ReserveAsync(RunningApp app, string sessionId, string phone, HttpStatusCode expected, string? problem = null)
    {
        using var response = await app.ReserveAsync(sessionId, new { name = "Kim", phone, partySize = 1, language = "en" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        if (problem is not null)
        {
            Assert.Equal(problem, body.GetProperty("code").GetString());
        }

        return body;
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"never saw {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The exporters append from the app's threads while the test reads.</summary>
    private sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count { get { lock (_items) { return _items.Count; } } }

        public bool IsReadOnly => false;

        public List<T> Snapshot() { lock (_items) { return [.. _items]; } }

        public void Add(T item) { lock (_items) { _items.Add(item); } }

        public void Clear() { lock (_items) { _items.Clear(); } }

        public bool Contains(T item) { lock (_items) { return _items.Contains(item); } }

        public void CopyTo(T[] array, int arrayIndex) { lock (_items) { _items.CopyTo(array, arrayIndex); } }

        public bool Remove(T item) { lock (_items) { return _items.Remove(item); } }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
