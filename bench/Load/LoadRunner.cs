using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Bench.Load;

/// <summary>
/// Runs attempts with a fixed number of concurrent clients over real HTTP, as visitors would: POST
/// the reservation; on 503 (or a dropped connection) wait a moment and send again, so every visitor
/// ends with a real answer; count everything. With several app instances, client k sends to
/// instance k mod N (round-robin), as a load balancer spreading connections would.
/// </summary>
public static class LoadRunner
{
    private const int MaxTries = 20;

    public static HttpClient CreateClient(Uri baseAddress, int clients) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = clients,
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The app instance that client <paramref name="client"/> of a run sends to: round-robin over the instances.</summary>
    public static int InstanceOf(int client, int instances) => client % instances;

    /// <summary>
    /// Runs <paramref name="attempts"/> over <paramref name="instances"/> (one HttpClient per app
    /// instance). When <paramref name="bound"/> fires, clients start no new attempt and send no
    /// retry: an attempt waiting to be retried ends <see cref="AttemptOutcome.CutAtBound"/>, one whose
    /// request is in flight gets its answer. Attempts never started are not in the result.
    /// </summary>
    public static async Task<LoadResult> RunAsync(
        IReadOnlyList<HttpClient> instances, IReadOnlyList<Attempt> attempts, int clients, string label, TextWriter? progress,
        CancellationToken bound, CancellationToken cancellationToken)
    {
        var outcomes = new AttemptOutcome?[attempts.Count];
        var next = -1;
        var done = 0;
        var confirmed = 0;
        var unavailable = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = progress is null ? Task.CompletedTask : ReportAsync();
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var instance = InstanceOf(client, instances.Count);
            int i;
            while (!bound.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < attempts.Count)
            {
                var outcome = await SendAsync(instances[instance], attempts[i], clock, bound, cancellationToken) with { Instance = instance };
                outcomes[i] = outcome;
                Interlocked.Increment(ref done);
                Interlocked.Add(ref unavailable, outcome.Unavailable);
                if (outcome.Confirmed)
                {
                    Interlocked.Increment(ref confirmed);
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await stop.CancelAsync();
        await reporter;
        Print();
        return new LoadResult([.. outcomes.OfType<AttemptOutcome>()], elapsed);

        async Task ReportAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    Print();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        void Print()
        {
            var seconds = Math.Max(0.001, clock.Elapsed.TotalSeconds);
            progress?.WriteLine(
                $"[{label}] {seconds,5:0.0}s  attempts {Volatile.Read(ref done),6}/{attempts.Count}  confirmed {Volatile.Read(ref confirmed),6}" +
                $"  rate {Volatile.Read(ref confirmed) / seconds,7:0}/s  answers {Volatile.Read(ref done) / seconds,7:0}/s  503s {Volatile.Read(ref unavailable)}" +
                (bound.IsCancellationRequested ? "  (bound reached: finishing the attempts under way)" : ""));
        }
    }

    private static async Task<AttemptOutcome> SendAsync(
        HttpClient http, Attempt attempt, Stopwatch clock, CancellationToken bound, CancellationToken cancellationToken)
    {
        var started = clock.Elapsed.TotalMilliseconds;
        var unavailable = 0;
        var status = 0;
        string? error = null;
        for (var tries = 1; tries <= MaxTries; tries++)
        {
            if (tries > 1 && bound.IsCancellationRequested)
            {
                var now = clock.Elapsed.TotalMilliseconds;
                return new AttemptOutcome(attempt, status, error ?? "cut-at-bound", null, null, now - started, now, unavailable) { CutAtBound = true };
            }

            try
            {
                using var response = await http.PostAsJsonAsync($"api/sessions/{attempt.SessionId}/reservations", new
                {
                    name = $"관객 {attempt.Index}",
                    phone = attempt.Phone,
                    partySize = attempt.PartySize,
                    language = "ko",
                }, cancellationToken);
                status = (int)response.StatusCode;
                using var body = await ReadJsonAsync(response, cancellationToken);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    unavailable++;
                    await Task.Delay(Random.Shared.Next(100, 300), cancellationToken);
                    continue;
                }

                var now = clock.Elapsed.TotalMilliseconds;
                return status == 201
                    ? new AttemptOutcome(attempt, status, null, StoredCode(Text(body, "code")), Text(body, "status"), now - started, now, unavailable)
                    : new AttemptOutcome(attempt, status, Text(body, "code"), null, null, now - started, now, unavailable);
            }
            catch (HttpRequestException e)
            {
                // Connection refused or reset: the visitor tries again.
                status = 0;
                error = e.GetType().Name;
                await Task.Delay(Random.Shared.Next(100, 300), cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the client's timeout: counted, and the visitor tries again.
                status = 0;
                error = "timeout";
                unavailable++;
            }
        }

        var end = clock.Elapsed.TotalMilliseconds;
        return new AttemptOutcome(attempt, status, error ?? "gave-up", null, null, end - started, end, unavailable);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The code as stored (the API shows it as ABCD-EFGH).</summary>
    private static string? StoredCode(string? shown) => ReservationCode.TryParse(shown, out var code) ? code.Value : shown;

    private static string? Text(JsonDocument? body, string property) =>
        body?.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
