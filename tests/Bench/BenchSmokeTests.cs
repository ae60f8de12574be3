using FestivalReservations.Bench;
using FestivalReservations.Bench.Reporting;
using FestivalReservations.Bench.Scenarios;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Bench;

/// <summary>The benchmark's own scenario code with small numbers, so that it cannot rot.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BenchSmokeTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Batched")]
    [InlineData("Single")]
    public async Task Rush_SmallNumbers_SellsOutExactlyAndPassesTheChecks(string mode)
    {
        var spec = ScenarioSpec.Rush(attempts: 300, clients: 16, capacity: 50, ScenarioSpec.NewTag()) with { WarmUpAttempts = 10 };

        var run = await ScenarioRunner.RunAsync(spec, mode, 1, azurite.ConnectionString, InProcessBenchApp.Launcher, null, CancellationToken.None);

        Assert.True(run.Checks.Passed, run.Checks.Summary);
        Assert.Equal(50, run.Confirmed);
        Assert.Equal(true, run.Checks.SoldOutExactly);
        Assert.Equal(250, run.Refusals.GetValueOrDefault("session-full"));
        Assert.Empty(run.OtherStatuses);
        Assert.InRange(run.Checks.OutboxRows + run.Checks.QueueMessages, 50, 100); // a row and its message may both exist mid-dispatch
        Assert.True(run.Transactions >= 1, $"{run.Transactions} transactions");
        Assert.True(run.ThroughputPerSecond > 0, $"{run.ThroughputPerSecond}/s");
        // Latencies were measured, in milliseconds: above zero, and none longer than the whole run.
        Assert.True(run.P50Ms > 0, $"p50 {run.P50Ms} ms");
        Assert.True(run.P99Ms <= run.DurationSeconds * 1000 + 10, $"p99 {run.P99Ms} ms in a run of {run.DurationSeconds} s");
        if (mode == "Batched")
        {
            Assert.True(run.Transactions < 50, $"{run.Transactions} transactions for 50 reservations: nothing was batched");
        }
    }

    [Theory]
    [InlineData("Batched")]
    [InlineData("Single")]
    public async Task Rush_TwoInstances_BothAnswerTheirClientsAndTheirCountersAddUpToTheSale(string mode)
    {
        var options = BenchOptions.Parse(["rush", "--instances", "2", "--attempts", "300", "--clients", "16", "--capacity", "60"]);
        var spec = ScenarioSpec.Rush(options.Attempts!.Value, options.Clients!.Value, options.Capacity!.Value, ScenarioSpec.NewTag()) with { WarmUpAttempts = 10 };

        var run = await ScenarioRunner.RunAsync(spec, mode, options.Instances.Single(), azurite.ConnectionString, InProcessBenchApp.Launcher, null, CancellationToken.None);

        Assert.True(run.Checks.Passed, run.Checks.Summary);
        Assert.Equal(true, run.Checks.SoldOutExactly);
        Assert.Equal((2, 60, 240), (run.Instances, run.Confirmed, run.Refusals.GetValueOrDefault("session-full")));
        Assert.Empty(run.OtherStatuses);
        // Each instance's own count of the calls it served: both were sent requests, and every attempt reached one.
        Assert.Equal([1, 2], run.PerInstance.Select(i => i.Instance));
        Assert.All(run.PerInstance, i => Assert.True(i.Requests > 0 && i.Answered > 0, $"instance {i.Instance}: {i.Requests} requests, {i.Answered} answered"));
        Assert.Equal(300, run.PerInstance.Sum(i => i.Answered));
        Assert.InRange(run.PerInstance.Sum(i => i.Requests), 300, 300 + run.Unavailable);
        // The instances' counters, added up, are the sale: 60 reservations committed, each written with its rows.
        Assert.Equal(60, run.PerInstance.Sum(i => i.Committed));
        Assert.Equal(run.PerInstance.Sum(i => i.Transactions), run.Transactions);
        Assert.InRange(run.EntitiesPerReservation, 1, 5);
        Assert.True(run.ConfirmedP99Ms > 0 && run.ConfirmedP99Ms <= run.DurationSeconds * 1000 + 10, $"confirmed p99 {run.ConfirmedP99Ms} ms");
        var report = new BenchReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, "test", "smoke", [run], null);
        Assert.Contains($"| rush | {mode} | 2 |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("\"perInstance\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spread_AndCeiling_SmallNumbers_PassAndReport()
    {
        var spec = ScenarioSpec.Spread(attempts: 200, clients: 16, capacity: 10, ScenarioSpec.NewTag(), programs: 3) with { WarmUpAttempts = 10 };

        var run = await ScenarioRunner.RunAsync(spec, "Batched", 1, azurite.ConnectionString, InProcessBenchApp.Launcher, null, CancellationToken.None);
        var ceiling = await CeilingRunner.RunAsync(azurite.ConnectionString, 99, warmUpReservations: 33, CancellationToken.None);
        var withHolds = await CeilingRunner.RunWithHoldsAsync(azurite.ConnectionString, 99, warmUpReservations: 33, CancellationToken.None);
        ceiling = ceiling with { WithHoldsPerSecond = withHolds.ReservationsPerSecond };
        var report = new BenchReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, "test", "smoke", [run], ceiling);

        Assert.True(run.Checks.Passed, run.Checks.Summary);
        Assert.Equal(12, run.Sessions);
        Assert.InRange(run.Checks.CounterSeats, 1, 120);
        Assert.True(ceiling.ReservationsPerSecond > 0);
        Assert.Equal(99, withHolds.Reservations);
        Assert.True(withHolds.ReservationsPerSecond > 0);
        Assert.Contains("| ceiling+holds | storage only |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("\"withHoldsPerSecond\"", report.ToJson(), StringComparison.Ordinal);
        Assert.Contains("| spread | Batched |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("\"ceiling\"", report.ToJson(), StringComparison.Ordinal);
    }
}
