using System.Net.Http.Json;
using FestivalReservations.Bench.Checks;
using FestivalReservations.Bench.Hosting;
using FestivalReservations.Bench.Load;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// One scenario in one commit mode: writes its catalog, starts the app, warms it up on a session of
/// its own, runs the attempts, reads the app's counters and checks the store.
/// </summary>
public static class ScenarioRunner
{
    public const string FunctionKey = "bench-admin-key";
    private const int Seed = 1;

    public static async Task<RunResult> RunAsync(
        ScenarioSpec spec, string mode, string connectionString, AppLauncher launcher, TextWriter? progress, CancellationToken cancellationToken)
    {
        var catalogFile = await BenchCatalog.WriteAsync(BenchCatalog.Create(spec.Tag, spec.Programs), cancellationToken);
        try
        {
            var settings = new BenchAppSettings(connectionString, mode, catalogFile, BenchCatalog.Now, FunctionKey);
            await using var app = await launcher(settings, cancellationToken);
            using var http = LoadRunner.CreateClient(app.BaseAddress, spec.Clients);
            await WarmUpAsync(http, spec, cancellationToken);
            var before = await MetricsAsync(http, app.FunctionKey, cancellationToken);

            var attempts = spec.Attempts(Seed);
            var load = await LoadRunner.RunAsync(http, attempts, spec.Clients, $"{spec.Name}/{mode}", progress, cancellationToken);

            if (load.Other.Count > 0 && app.Output is { } output)
            {
                // Answers outside the contract (500s, gave-ups): show what the app said about them.
                progress?.WriteLine($"   unexpected answers {string.Join(", ", load.Other.Select(o => $"{o.Key}×{o.Value}"))}; the app's last output:\n{output}");
            }

            var metrics = (await MetricsAsync(http, app.FunctionKey, cancellationToken)).Minus(before);
            var memory = app.PeakMemoryMb();
            var checks = await StoreChecks.RunAsync(connectionString, settings.App.SmsQueueName, spec, load, cancellationToken);
            return new RunResult(
                spec.Name, mode, attempts.Count, spec.Clients, spec.Sessions.Count, spec.Capacity,
                load.Confirmed, load.ConfirmedSeats,
                Math.Round(load.Throughput, 1), Math.Round(load.LastConfirmedAtMs / 1000, 2), Math.Round(load.ElapsedMs / 1000, 2),
                Math.Round(load.Percentile(50), 1), Math.Round(load.Percentile(95), 1), Math.Round(load.Percentile(99), 1),
                metrics.Conflicts, metrics.Transactions,
                metrics.Transactions > 0 ? Math.Round((double)metrics.Committed / metrics.Transactions, 1) : 0,
                metrics.LargestTransaction, load.Unavailable, load.Refusals, load.Other, memory, metrics.Stages, checks);
        }
        finally
        {
            File.Delete(catalogFile);
        }
    }

    /// <summary>JIT, connection pools and the app's first storage calls, on a session no check looks at.</summary>
    private static async Task WarmUpAsync(HttpClient http, ScenarioSpec spec, CancellationToken cancellationToken)
    {
        var session = BenchCatalog.SessionId(BenchCatalog.WarmUpProgram(spec.Tag), BenchCatalog.WarmUpTime);
        var attempts = Enumerable.Range(0, spec.WarmUpAttempts).Select(i => new Attempt(i, session, BenchCatalog.Phone(Seed, 90_000 + i), 1)).ToList();
        // At most 64 clients: Single mode would spend minutes on a warm-up fought over by 256.
        await LoadRunner.RunAsync(http, attempts, Math.Min(64, spec.Clients), "warm-up", null, cancellationToken);
        if (spec.WarmUpAttempts >= WarmUpSettleAfter)
        {
            // The runtime recompiles hot methods in the background after they have run a while
            // (tiered compilation): let both processes finish that before the clock starts.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    /// <summary>Warm-ups of at least this many attempts end with a pause for background compilation (smoke runs skip it).</summary>
    private const int WarmUpSettleAfter = 1_000;

    private static async Task<AppMetrics> MetricsAsync(HttpClient http, string functionKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/metrics");
        request.Headers.Add("x-functions-key", functionKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<AppMetrics>(cancellationToken)
            ?? throw new InvalidOperationException("admin/metrics answered nothing.");
    }
}
