using FestivalReservations.Bench.Load;

namespace FestivalReservations.Tests.Bench;

public sealed class LoadResultTests
{
    [Fact]
    public void Percentile_NearestRank_OfTheLatencies()
    {
        // 1..100 ms, answered in reverse order: the percentile sorts them.
        var load = new LoadResult([.. Enumerable.Range(1, 100).Reverse().Select(ms => Outcome(ms))], 1_000);

        Assert.Equal(50, load.Percentile(50));
        Assert.Equal(95, load.Percentile(95));
        Assert.Equal(99, load.Percentile(99));
        Assert.Equal(100, load.Percentile(100));
        Assert.Equal(1, load.Percentile(0));
    }

    [Fact]
    public void Percentile_NoOutcomes_Zero_OneOutcome_ItsLatency()
    {
        Assert.Equal(0, new LoadResult([], 0).Percentile(99));
        Assert.Equal(7.5, new LoadResult([Outcome(7.5)], 10).Percentile(50));
    }

    private static AttemptOutcome Outcome(double latencyMs) =>
        new(new Attempt(0, "s", "010-0000-0000", 1), 201, null, "CODE", "confirmed", latencyMs, latencyMs, 0);
}
