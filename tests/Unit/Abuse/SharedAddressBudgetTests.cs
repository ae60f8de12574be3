using FestivalReservations.Core.Abuse;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Unit.Abuse;

public sealed class SharedAddressBudgetTests
{
    private const string Client = "203.0.113.7";

    private static SharedAddressBudget[] Instances(int count, InMemoryBudgetLedger ledger, TimeProvider clock, int perMinute = 1200) =>
        [.. Enumerable.Range(0, count).Select(_ => new SharedAddressBudget(ledger, clock,
            Options.Create(new RateLimitOptions { ReservationsPerMinute = perMinute })))];

    [Fact]
    public async Task TakeAsync_FourInstancesOneWindow_NeverMoreThanTheWindowsBudget_AndFewClaims()
    {
        var ledger = new InMemoryBudgetLedger();
        var instances = Instances(4, ledger, new FakeTimeProvider(DateTimeOffset.Parse("2024-09-08T04:00:01Z")));
        var budget = AddressBudgetRule.WindowBudget(1200);
        var chunk = AddressBudgetRule.Chunk(budget, 0);

        var answers = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => instances[i % 4].TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None)));

        var admitted = answers.Count(a => a is null);
        Assert.InRange(admitted, budget - (3 * chunk), budget);
        Assert.All(answers.Where(a => a is not null), wait => Assert.InRange(wait!.Value, TimeSpan.FromSeconds(1), AddressBudgetRule.Window));
        // One shared write per chunk (an eighth of what is left), plus each instance's one look that finds the window spent.
        Assert.True(ledger.Claims * 4 <= admitted, $"{ledger.Claims} claims for {admitted} admitted");
        Assert.Null(await instances[0].TakeAsync(LimitedAction.Reserve, "198.51.100.1", CancellationToken.None));
        Assert.Null(await instances[0].TakeAsync(LimitedAction.Lookup, Client, CancellationToken.None));
    }

    [Fact]
    public async Task TakeAsync_HammeredOverFourInstancesForThreeMinutes_AnySixtySecondsAtMostOneAndAQuarterBudgets()
    {
        const int perMinute = 120;
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-09-08T04:00:07Z"));
        var instances = Instances(4, new InMemoryBudgetLedger(), clock, perMinute);
        var admittedAt = new List<DateTimeOffset>();

        for (var step = 0; step < 1800; step++)
        {
            if (await instances[step % 4].TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None) is null)
            {
                admittedAt.Add(clock.GetUtcNow());
            }

            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var worst = admittedAt.Max(start => admittedAt.Count(t => t >= start && t < start.AddSeconds(60)));
        Assert.InRange(worst, perMinute * 3 / 4, perMinute * 5 / 4);
        Assert.True(worst <= perMinute * 1.5, $"{worst} admitted in 60 s on a budget of {perMinute}");
    }

    [Fact]
    public async Task TakeAsync_WindowSpent_WaitsUntilTheNextWindow_ThenAdmitsAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-09-08T04:00:05Z"));
        var instance = Instances(1, new InMemoryBudgetLedger(), clock, perMinute: 8)[0];
        Assert.Null(await instance.TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None));
        Assert.Null(await instance.TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None));

        var wait = await instance.TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(10), wait);
        clock.Advance(wait!.Value);
        Assert.Null(await instance.TakeAsync(LimitedAction.Reserve, Client, CancellationToken.None));
    }
}
