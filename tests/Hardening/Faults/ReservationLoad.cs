using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>One reservation attempt as the client saw it.</summary>
public sealed record LoadOutcome(
    string Phone, int Status, string? Code, string? ProblemCode, bool HasRetryAfter, TimeSpan Elapsed, string? Error)
{
    public override string ToString() =>
        $"{Status} {ProblemCode ?? Code} after {Elapsed.TotalMilliseconds:0} ms{(Error is null ? "" : " (" + Error + ")")}";
}

/// <summary>
/// Visitors reserving one session concurrently, each from a phone of their own, paced so a run
/// lasts long enough for a fault to land in the middle of it. Runs until <see cref="StopAsync"/>.
/// The client it uses may be swapped while it runs (a restarted app listens on another port).
/// </summary>
public sealed class ReservationLoad : IAsyncDisposable
{
    private static int _phoneSeed = Random.Shared.Next(0, 400);

    private readonly string _sessionId;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly int _block = Interlocked.Increment(ref _phoneSeed) % 8000;
    private HttpClient _client;
    private int _next;

    private ReservationLoad(HttpClient client, string sessionId)
    {
        _client = client;
        _sessionId = sessionId;
    }

    public ConcurrentQueue<LoadOutcome> Outcomes { get; } = new();

    public HttpClient Client
    {
        get => Volatile.Read(ref _client);
        set => Volatile.Write(ref _client, value);
    }

    public IReadOnlyList<LoadOutcome> Confirmed => Outcomes.Where(o => o.Status == 201).ToList();

    public int Count(int status, string? problemCode = null) =>
        Outcomes.Count(o => o.Status == status && (problemCode is null || o.ProblemCode == problemCode));

    public static ReservationLoad Start(HttpClient client, string sessionId, int workers, TimeSpan pause)
    {
        var load = new ReservationLoad(client, sessionId);
        for (var i = 0; i < workers; i++)
        {
            load._workers.Add(Task.Run(() => load.WorkAsync(pause)));
        }

        return load;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the outcomes so far (or fails after <paramref name="timeout"/>).</summary>
    public async Task WaitUntilAsync(Func<ReservationLoad, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(this))
        {
            Assert.True(clock.Elapsed < timeout, $"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. Outcomes: {Summary()}");
            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public string Summary() => string.Join(", ", Outcomes
        .GroupBy(o => $"{o.Status} {o.ProblemCode ?? o.Error ?? ""}".Trim())
        .Select(g => $"{g.Key}: {g.Count()}"));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task WorkAsync(TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var phone = $"010-{1000 + _block:D4}-{n:D4}";
            Outcomes.Enqueue(await ReserveAsync(phone));
            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<LoadOutcome> ReserveAsync(string phone)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await Client.PostAsJsonAsync(
                $"api/sessions/{_sessionId}/reservations", new { name = "Fault Visitor", phone, partySize = 1, language = "en" });
            var text = await response.Content.ReadAsStringAsync();
            string? code = null, problem = null;
            if (text.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                if ((int)response.StatusCode == 201)
                {
                    code = root.GetProperty("code").GetString();
                }
                else if (root.TryGetProperty("code", out var c))
                {
                    problem = c.GetString();
                }
            }

            return new LoadOutcome(phone, (int)response.StatusCode, code, problem,
                response.Headers.RetryAfter is not null, clock.Elapsed, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            // The app is down (killed) or the request hung past the client's timeout.
            return new LoadOutcome(phone, 0, null, null, false, clock.Elapsed, e.GetType().Name);
        }
    }
}
