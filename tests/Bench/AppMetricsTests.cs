using FestivalReservations.Bench.Scenarios;

namespace FestivalReservations.Tests.Bench;

public sealed class AppMetricsTests
{
    [Fact]
    public void Minus_TheWarmUpLeavesTheMeasuredRunsCountsAndMeans()
    {
        var warmUp = new AppMetrics(10, 1, 4, 40, 33, new Dictionary<string, StageTime>
        {
            ["batch.submit"] = new(4, 100),
            ["request.commit"] = new(10, 50),
        });
        var after = new AppMetrics(70, 1, 10, 220, 33, new Dictionary<string, StageTime>
        {
            ["batch.submit"] = new(10, 70), // (10 × 70 - 4 × 100) / 6 = 50
            ["request.commit"] = new(70, 20), // (1400 - 500) / 60 = 15
            ["batch.code-claim"] = new(3, 2),
        });

        var run = after.Minus(warmUp);

        Assert.Equal((60, 0, 6, 180), (run.Committed, run.Conflicts, run.Transactions, run.Operations));
        Assert.Equal(new StageTime(6, 50), run.Stages!["batch.submit"]);
        Assert.Equal(new StageTime(60, 15), run.Stages["request.commit"]);
        Assert.Equal(new StageTime(3, 2), run.Stages["batch.code-claim"]);
    }

    [Fact]
    public void Minus_AStageThatDidNotRunSince_Left()
    {
        var before = new AppMetrics(1, 0, 1, 4, 4, new Dictionary<string, StageTime> { ["batch.read"] = new(5, 3) });
        var after = before with { Committed = 2 };

        Assert.Empty(after.Minus(before).Stages!);
    }
}
