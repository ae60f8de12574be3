using FestivalReservations.Bench;
using FestivalReservations.Bench.Checks;
using FestivalReservations.Bench.Load;
using FestivalReservations.Bench.Reporting;
using FestivalReservations.Bench.Scenarios;

namespace FestivalReservations.Tests.Bench;

/// <summary>How the bench adds up several instances and reports one run per instance count.</summary>
public sealed class BenchFiguresTests
{
    [Fact]
    public void Sum_TwoInstances_CountsAddUp_LargestIsTheLargest_StageMeansWeightedByCalls()
    {
        var one = new AppMetrics(30, 2, 3, 100, 12, new Dictionary<string, StageTime> { ["batch.submit"] = new(3, 10) }, AllotmentMoves: 1, Requests: 40);
        var two = new AppMetrics(20, 4, 2, 70, 15, new Dictionary<string, StageTime> { ["batch.submit"] = new(1, 30), ["batch.read"] = new(2, 5) }, AllotmentMoves: 2, Requests: 25);

        var sum = AppMetrics.Sum([one, two]);

        Assert.Equal((50, 6, 5, 170, 15, 3, 65), (sum.Committed, sum.Conflicts, sum.Transactions, sum.Operations, sum.LargestTransaction, sum.AllotmentMoves, sum.Requests));
        Assert.Equal(new StageTime(4, 15), sum.Stages!["batch.submit"]); // (3 × 10 + 1 × 30) / 4
        Assert.Equal(new StageTime(2, 5), sum.Stages["batch.read"]);
    }

    [Fact]
    public void WarmUp_UsesTheRunsClients_SoEveryInstanceOpensItsStorageConnections_SingleAtMost64()
    {
        var spec = ScenarioSpec.Rush(attempts: 10_000, clients: 256, capacity: 2_000, "-t");

        Assert.Equal(256, ScenarioRunner.WarmUpClients(spec.For("Batched"), "Batched"));
        Assert.Equal(64, ScenarioRunner.WarmUpClients(spec.For("Single"), "Single"));
        Assert.Equal(16, ScenarioRunner.WarmUpClients(ScenarioSpec.Rush(attempts: 100, clients: 16, capacity: 50, "-t").For("Single"), "Single"));
    }

    [Fact]
    public void Minus_AllotmentMovesAndRequests_OfTheMeasuredRunAlone()
    {
        var before = new AppMetrics(10, 0, 1, 31, 10, null, AllotmentMoves: 4, Requests: 300);
        var after = before with { AllotmentMoves = 9, Requests = 1_300 };

        var run = after.Minus(before);

        Assert.Equal((5, 1_000), (run.AllotmentMoves, run.Requests));
    }

    [Fact]
    public void Of_TwoInstances_RatiosOverTheSumsAndAnswersPerInstance()
    {
        var spec = ScenarioSpec.Rush(attempts: 4, clients: 2, capacity: 3, "-t");
        var load = new LoadResult(
        [
            Outcome(0, 201, 10, instance: 0), Outcome(1, 201, 20, instance: 1), Outcome(2, 201, 30, instance: 0), Outcome(3, 409, 40, instance: 1),
        ], 100);
        AppMetrics[] metrics =
        [
            new(2, 1, 1, 7, 2, null, AllotmentMoves: 1, Requests: 2),
            new(1, 3, 1, 4, 1, null, Requests: 3),
        ];

        var run = RunResult.Of(spec, "Batched", 4, load, metrics, [100, null], Checks());

        Assert.Equal(2, run.Instances);
        Assert.Equal(2.0, run.ConflictsPerTransaction); // 4 conflicts / 2 transactions
        Assert.Equal(3.67, run.EntitiesPerReservation); // 11 operations / 3 committed
        Assert.Equal(1.5, run.ReservationsPerTransaction);
        Assert.Equal(1, run.AllotmentMoves);
        Assert.Equal([(1, 2, 2L), (2, 2, 3L)], run.PerInstance.Select(i => (i.Instance, i.Answered, i.Requests)));
        Assert.Equal((20, 30), (run.ConfirmedP50Ms, run.ConfirmedP99Ms)); // the 409 (40 ms) is not confirmed
        Assert.Equal(40, run.P99Ms);
        Assert.Equal(100, run.PeakMemoryMb);
        Assert.Null(run.Bound);
    }

    [Fact]
    public void Of_BoundedRun_SaysHowItWasCut()
    {
        var spec = ScenarioSpec.Rush(attempts: 10, clients: 1, capacity: 5, "-t").For("Single");
        var load = new LoadResult([Outcome(0, 201, 10, instance: 0), Outcome(1, 503, 20, instance: 0) with { CutAtBound = true }], 100);

        var run = RunResult.Of(spec, "Single", 10, load, [new(1, 0, 1, 4, 1, null)], [null], Checks());

        Assert.Equal(ScenarioSpec.SingleRushBound, spec.Bound);
        Assert.Contains("2 of 10 attempts started, 1 cut while retrying", run.Bound, StringComparison.Ordinal);
        Assert.Empty(run.OtherStatuses);
        Assert.Equal(10, run.P99Ms);
    }

    [Fact]
    public void For_OnlyTheSingleRushIsBounded()
    {
        var rush = ScenarioSpec.Rush(10, 1, 5, "-t");
        var spread = ScenarioSpec.Spread(10, 1, 5, "-t", programs: 1);

        Assert.Null(rush.For("Batched").Bound);
        Assert.True(rush.For("Batched").ExpectSoldOut);
        Assert.Null(spread.For("Single").Bound);
        Assert.NotNull(rush.For("Single").Bound);
        Assert.False(rush.For("Single").ExpectSoldOut); // a bounded run is not expected to sell out
    }

    [Fact]
    public void Parse_Instances_ListInOrder_DefaultOne_RefusesZeroAndWords()
    {
        Assert.Equal([1], BenchOptions.Parse([]).Instances);
        Assert.Equal([1, 4], BenchOptions.Parse(["rush", "--instances", "1,4"]).Instances);
        Assert.Equal([2], BenchOptions.Parse(["--instances", "2,2"]).Instances);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--instances", "0"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--instances", "1,four"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--instances"]));
    }

    [Fact]
    public void Parse_Telemetry_OnByDefault_OnOffRunsBoth_RefusesOtherWords()
    {
        Assert.Equal([true], BenchOptions.Parse([]).Telemetry);
        Assert.Equal([false], BenchOptions.Parse(["--telemetry", "off"]).Telemetry);
        Assert.Equal([true, false], BenchOptions.Parse(["rush", "--telemetry", "on,off"]).Telemetry);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--telemetry", "yes"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--telemetry"]));
    }

    [Fact]
    public void Parse_AppNice_TenByDefault_ZeroToNineteen_RefusesOthers()
    {
        Assert.Equal(10, BenchOptions.Parse([]).AppNiceness);
        Assert.Equal(0, BenchOptions.Parse(["rush", "--app-nice", "0"]).AppNiceness);
        Assert.Equal(19, BenchOptions.Parse(["--app-nice", "19"]).AppNiceness);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--app-nice", "20"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--app-nice", "-5"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--app-nice", "low"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--app-nice"]));
    }

    [Fact]
    public void CeilingWithHolds_IsReportedBesideTheCeiling_TheTargetsStillReadTheCeiling()
    {
        var one = Run(1, throughput: 800, confirmedP99: 300, conflictsPerTx: 0, entities: 1.04);
        var ceiling = new CeilingResult(10_000, 103, 1, 8_000, 8_200) { WithHoldsPerSecond = 2_000 };

        var report = new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "test", [one], ceiling);

        Assert.Equal(0.4, report.RushBatchedOverCeilingWithHolds);
        Assert.Equal(0.1, report.RushBatchedOverCeiling);
        Assert.False(report.Targets["rushBatchedAtLeastQuarterOfCeiling"]);
        Assert.Contains("| ceiling+holds | storage only |", report.ToMarkdown());
    }

    [Fact]
    public void Report_SaysAtWhichPriorityTheInstancesRan()
    {
        var report = new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "the command", [Run(1, throughput: 900, confirmedP99: 300, conflictsPerTx: 0, entities: 1.2)], null, AppNiceness: 10);

        Assert.Contains("app instances at nice 10: `the command`", report.ToMarkdown());
    }

    [Fact]
    public void Targets_OnlyRunsWithTelemetryCountAsTheRush()
    {
        var oneWithout = Run(1, throughput: 900, confirmedP99: 300, conflictsPerTx: 0, entities: 1.2) with { Telemetry = false };
        var four = Run(4, throughput: 450, confirmedP99: 1_400, conflictsPerTx: 0.05, entities: 1.2);
        var report = new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "test", [oneWithout, four], null);

        Assert.Null(report.Targets["rush4AtLeast70PercentOfRush1"]);
        Assert.Contains("| rush | Batched, telemetry off | 1 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_FourInstancesAgainstOne()
    {
        var one = Run(1, throughput: 600, confirmedP99: 500, conflictsPerTx: 0, entities: 1.2);
        var four = Run(4, throughput: 450, confirmedP99: 1_400, conflictsPerTx: 0.05, entities: 1.2);
        var slowFour = Run(4, throughput: 300, confirmedP99: 9_000, conflictsPerTx: 1, entities: 3);

        var met = new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "test", [one, four], null);
        var missed = new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "test", [one, slowFour], null);

        Assert.Equal(0.75, met.RushFourOverOne);
        Assert.Equal((true, true, true), (met.Targets["rush4AtLeast70PercentOfRush1"], met.Targets["rush4ConfirmedP99AtMost1.5s"], met.Targets["rush4AtMost0.1ConflictsPerTransaction"]));
        Assert.Equal((false, false, false), (missed.Targets["rush4AtLeast70PercentOfRush1"], missed.Targets["rush4ConfirmedP99AtMost1.5s"], missed.Targets["rush4AtMost0.1ConflictsPerTransaction"]));
        Assert.True(met.Targets["rushAtMost1.5EntitiesPerReservation"]);
        Assert.Null(new BenchReport(DateTimeOffset.UnixEpoch, 2, "test", "test", [one], null).Targets["rush4AtLeast70PercentOfRush1"]);
        Assert.Contains("| rush | Batched | 4 |", met.ToMarkdown(), StringComparison.Ordinal);
    }

    private static RunResult Run(int instances, double throughput, double confirmedP99, double conflictsPerTx, double entities) =>
        new("rush", "Batched", instances, 100, 10, 1, 50, 50, 50, throughput, 1, 1, 1, 1, 1, 1, 1, confirmedP99, 0, 10, conflictsPerTx, 5, 5,
            (long)(50 * entities), entities, 0, 0, new Dictionary<string, int>(), new Dictionary<int, int>(), null, null,
            [.. Enumerable.Range(1, instances).Select(i => new InstanceResult(i, 25, 25, 50 / instances, 10 / instances, 0, null))], null, Checks());

    private static AttemptOutcome Outcome(int i, int status, double latencyMs, int instance)
    {
        var outcome = new AttemptOutcome(new Attempt(i, "s", $"010-2000-{i:D4}", 1), status, null, status == 201 ? $"C{i}" : null,
            status == 201 ? "confirmed" : null, latencyMs, latencyMs, status == 503 ? 1 : 0);
        return outcome with { Instance = instance };
    }

    private static CheckResult Checks() => new(3, 3, 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, true);
}
