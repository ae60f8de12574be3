using FestivalReservations.Bench;
using FestivalReservations.Bench.Hosting;
using FestivalReservations.Bench.Model;
using FestivalReservations.Bench.Reporting;
using FestivalReservations.Bench.Scenarios;
using FestivalReservations.Testing;

// The rush benchmark (issues 6 and 15): each scenario in each commit mode with N app instances
// (devhost processes over HTTP on loopback) over one in-memory Azurite of its own; then the
// storage ceiling. `model` prints the scale model of docs/scale-model.md (arithmetic and a
// Monte Carlo on Azure's published targets; no storage).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Scenario == "model")
{
    Console.WriteLine(ScaleModelReport.Run().ToMarkdown());
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (options.Scenario == "season")
{
    return await SeasonReport.RunAsync(cancel.Token);
}

if (options.Scenario == "lottery")
{
    return await LotteryReport.RunAsync(options.Attempts ?? LotteryRunner.DefaultEntries, options.Capacity ?? LotteryRunner.DefaultSeats, cancel.Token);
}

var launcher = ChildBenchApp.Launcher;
var runs = new List<RunResult>();
var scenarios = new List<ScenarioSpec>();
if (options.Runs("rush"))
{
    scenarios.Add(ScenarioSpec.Rush(options.Attempts ?? 10_000, options.Clients ?? 256, options.Capacity ?? 2_000, ScenarioSpec.NewTag()));
}

if (options.Runs("spread"))
{
    scenarios.Add(ScenarioSpec.Spread(options.Attempts ?? 10_000, options.Clients ?? 256, options.Capacity ?? 0, ScenarioSpec.NewTag()));
}

try
{
    foreach (var spec in scenarios)
    {
        foreach (var (mode, instances, telemetry) in options.Modes.SelectMany(m => options.Instances.SelectMany(n => options.Telemetry.Select(t => (m, n, t)))))
        {
            var run = spec.For(mode);
            Console.Error.WriteLine($"== {run.Name} in {mode} mode, {instances} instance(s): {run.Sessions.Count} session(s), {run.Capacity:N0} seats, {run.Clients} clients"
                + (run.Bound is { } bound ? $", bounded to {bound.TotalSeconds:0} s" : "") + (telemetry ? "" : ", telemetry off"));
            await using var azurite = await AzuriteProcess.StartNewAsync(inMemory: true, cancel.Token);
            runs.Add(await ScenarioRunner.RunAsync(run, mode, instances, azurite.ConnectionString, launcher, Console.Error, cancel.Token, telemetry, options.AppNiceness));
            Console.Error.WriteLine($"   checks: {runs[^1].Checks.Summary}");
        }
    }

    CeilingResult? ceiling = null;
    if (options.Runs("ceiling") || options.Runs("rush"))
    {
        Console.Error.WriteLine("== ceiling: 100-operation transactions straight to Azurite");
        await using var azurite = await AzuriteProcess.StartNewAsync(inMemory: true, cancel.Token);
        ceiling = await CeilingRunner.RunAsync(azurite.ConnectionString, 10_032, ScenarioSpec.DefaultWarmUpAttempts, cancel.Token);
        Console.Error.WriteLine("== ceiling with holds: the same, and a phone-day row per reservation beside them");
        await using var holdsAzurite = await AzuriteProcess.StartNewAsync(inMemory: true, cancel.Token);
        var withHolds = await CeilingRunner.RunWithHoldsAsync(holdsAzurite.ConnectionString, 10_032, ScenarioSpec.DefaultWarmUpAttempts, cancel.Token);
        ceiling = ceiling with { WithHoldsPerSecond = withHolds.ReservationsPerSecond };
    }

    var report = new BenchReport(DateTimeOffset.UtcNow, Environment.ProcessorCount,
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}",
        "dotnet run -c Release --project bench -- " + string.Join(' ', args.DefaultIfEmpty("all")), runs, ceiling, options.AppNiceness);
    Console.WriteLine(report.ToMarkdown());
    var output = options.Out ?? Path.Combine(RepositoryPaths.Root, "bench", "results", "latest.json");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, report.ToJson());
    Console.Error.WriteLine($"Wrote {output}");
    return report.Runs.All(r => r.Checks.Passed) ? 0 : 1;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 1;
}
