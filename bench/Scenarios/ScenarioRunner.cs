using FestivalReservations.Bench.Checks;
using FestivalReservations.Bench.Hosting;
using FestivalReservations.Bench.Load;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// One scenario in one commit mode with N app instances over one storage: writes its catalog,
/// starts the instances, warms each up on a session of its own, runs the attempts with the clients
/// spread round-robin over the instances, reads every instance's counters and checks the store.
/// </summary>
public static class ScenarioRunner
{
    public const string FunctionKey = "bench-admin-key";
    private const int Seed = 1;

    public static async Task<RunResult> RunAsync(
        ScenarioSpec spec, string mode, int instances, string connectionString, AppLauncher launcher, TextWriter? progress,
        CancellationToken cancellationToken, bool telemetry = true, int niceness = 0)
    {
        var catalogFile = await BenchCatalog.WriteAsync(BenchCatalog.Create(spec.Tag, spec.Programs), cancellationToken);
        try
        {
            var settings = new BenchAppSettings(connectionString, mode, catalogFile, BenchCatalog.Now, FunctionKey, telemetry, niceness);
            await using var apps = await BenchInstances.StartAsync(launcher, settings, instances, spec.Clients, cancellationToken);
            await WarmUpAsync(apps, spec, mode, cancellationToken);
            var before = await apps.MetricsAsync(cancellationToken);

            var attempts = spec.Attempts(Seed);
            using var bound = spec.Bound is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
            var load = await LoadRunner.RunAsync(
                apps.Clients, attempts, spec.Clients, $"{spec.Name}/{mode}/×{instances}", progress, bound.Token, cancellationToken);

            if (load.Other.Count > 0 && apps.Output() is { Length: > 0 } output)
            {
                // Answers outside the contract (500s, gave-ups): show what the app said about them.
                progress?.WriteLine($"   unexpected answers {string.Join(", ", load.Other.Select(o => $"{o.Key}×{o.Value}"))}; the app's last output:\n{output}");
            }

            var after = await apps.MetricsAsync(cancellationToken);
            var measured = after.Zip(before, (a, b) => a.Minus(b)).ToList();
            var checks = await StoreChecks.RunAsync(connectionString, settings.App.SmsQueueName, spec, load, cancellationToken);
            return RunResult.Of(spec, mode, attempts.Count, load, measured, apps.PeakMemoryMb(), checks) with { Telemetry = telemetry };
        }
        finally
        {
            File.Delete(catalogFile);
        }
    }

    /// <summary>
    /// JIT, connection pools and the app's first storage calls, on a session no check looks at:
    /// <see cref="ScenarioSpec.WarmUpAttempts"/> per instance, the clients spread over them as in the run.
    /// </summary>
    private static async Task WarmUpAsync(BenchInstances apps, ScenarioSpec spec, string mode, CancellationToken cancellationToken)
    {
        var session = BenchCatalog.SessionId(BenchCatalog.WarmUpProgram(spec.Tag), BenchCatalog.WarmUpTime);
        var attempts = Enumerable.Range(0, spec.WarmUpAttempts * apps.Apps.Count)
            .Select(i => new Attempt(i, session, BenchCatalog.Phone(Seed, 90_000 + i), 1)).ToList();
        await LoadRunner.RunAsync(apps.Clients, attempts, WarmUpClients(spec, mode), "warm-up", null, CancellationToken.None, cancellationToken);
        if (spec.WarmUpAttempts >= WarmUpSettleAfter)
        {
            // The runtime recompiles hot methods in the background after they have run a while
            // (tiered compilation): let both processes finish that before the clock starts.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    /// <summary>
    /// As many clients as the run has, so that every instance opens the storage connections the run
    /// will use (a busy Azurite takes seconds to serve new ones: measured, an instance whose first
    /// burst needed 48 new connections had its first 64 answers take 5-7 s). Single mode takes at
    /// most 64: it would spend minutes on a warm-up fought over by 256.
    /// </summary>
    public static int WarmUpClients(ScenarioSpec spec, string mode) =>
        mode == nameof(FestivalReservations.Core.Reservations.CommitMode.Single) ? Math.Min(64, spec.Clients) : spec.Clients;

    /// <summary>Warm-ups of at least this many attempts end with a pause for background compilation (smoke runs skip it).</summary>
    private const int WarmUpSettleAfter = 1_000;
}
