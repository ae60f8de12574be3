using FestivalReservations.Bench.Model;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Bench;

/// <summary>The scale model's arithmetic, its reading of the shipped catalog, and what its simulation must conserve.</summary>
public sealed class ScaleModelTests
{
    private static readonly AzureTargets Azure = new();

    [Fact]
    public void PerReservationAt_OneRowPlusTwoShared_AgainstThreeRowsPlusTheCounter()
    {
        Assert.Equal(3, WriteCost.Allotments.PerReservationAt(1));
        Assert.Equal(1.125, WriteCost.Allotments.PerReservationAt(16));
        Assert.Equal(3 + 1 / 33.0, WriteCost.Counter.PerReservationAt(33));
        Assert.Equal(18, WriteCost.Allotments.Transaction(16));
        Assert.Equal((98, 33), (WriteCost.Allotments.MaxPerTransaction(Azure), WriteCost.Counter.MaxPerTransaction(Azure)));
    }

    [Fact]
    public void Ceilings_FromThePartitionAndAccountTargets()
    {
        Assert.Equal(2_000 / 1.25, ScaleArithmetic.SessionCeiling(Azure, WriteCost.Allotments, 8));
        Assert.Equal(2_000 / 3.5, ScaleArithmetic.SessionCeiling(Azure, WriteCost.Counter, 2));
        // 16 per round, one round per 50 ms: 320/s an instance, so about 5 instances reach the ceiling.
        Assert.Equal(320, ScaleArithmetic.OfferedRate(Azure, 1, 16));
        Assert.Equal(2_000 / 1.125 / 320, ScaleArithmetic.InstancesToReachCeiling(Azure, WriteCost.Allotments, 16));
        // Account: session rows, a Codes row, and a key's claim and answer for each of 5 attempts.
        Assert.Equal(1.125 + 1 + 10, ScaleArithmetic.AccountEntitiesPerReservation(WriteCost.Allotments, 16, attemptsPerSeat: 5));
        Assert.Equal(20_000 / 12.125, ScaleArithmetic.AccountCeiling(Azure, WriteCost.Allotments, 16, attemptsPerSeat: 5));
    }

    [Fact]
    public void SdkDelaySeconds_DoublesFrom200msUpTo2s()
    {
        Assert.Equal([0.2, 0.4, 0.8, 1.6, 2, 2], Enumerable.Range(1, 6).Select(Azure.SdkDelaySeconds));
    }

    [Fact]
    public void Sundays_OfTheShippedCatalog()
    {
        var sundays = FestivalSunday.Of(FestivalSunday.Read(Path.Combine(RepositoryPaths.Root, "functions", "catalog", "2024-autumn.json")));

        Assert.Equal(8, sundays.Count);
        Assert.Equal(342, sundays.Sum(s => s.Sessions));
        var september8 = sundays.Single(s => s.Date == new DateOnly(2024, 9, 8));
        Assert.Equal((42, 7_920, 1_000), (september8.Sessions, september8.Seats, september8.Largest));
        Assert.Equal(10_520, sundays.Max(s => s.Seats));
    }

    [Fact]
    public void Spread_SeatsOverAllotments_EvenAndWhole()
    {
        Assert.Equal([4, 3, 3], RushSimulation.Spread(10, 3));
        Assert.Equal([20], RushSimulation.Spread(20, 1));
        var scenario = new RushScenario("x", 1, [20], WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false);
        Assert.Equal((2, 16, 1), (scenario.AllotmentsFor(20), scenario.AllotmentsFor(1_000), scenario.AllotmentsFor(5)));
    }

    [Fact]
    public void Run_WithoutStorageLimits_SellsEverySeatOnce_AndWritesWhatTheCostSays()
    {
        var outcome = RushSimulation.Run(new RushScenario("x", 4, [300, 50], WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false), Azure);

        Assert.Equal((350, 350), (outcome.Seats, outcome.Confirmed));
        Assert.Equal(outcome.Confirmed + 2 * outcome.Transactions, outcome.Entities);
        Assert.Equal(0, outcome.ServerBusy);
        Assert.True(outcome.ConfirmedWaitP99Seconds >= outcome.ConfirmedWaitP50Seconds && outcome.ConfirmedWaitP50Seconds > 0);
    }

    [Fact]
    public void Run_FourInstancesOnOneRow_Conflict_OnSixteenStickyAllotments_Hardly()
    {
        int[] session = [1_000];

        var oneRow = RushSimulation.Run(new RushScenario("x", 4, session, WriteCost.Counter, 1, AllotmentChoice.Sticky, Throttled: false), Azure);
        var allotments = RushSimulation.Run(new RushScenario("x", 4, session, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false), Azure);

        Assert.True(oneRow.ConflictsPerTransaction > 0.5, $"{oneRow.ConflictsPerTransaction} 412s/tx on one row");
        // The few left come at the end, when instances whose allotment ran dry look for the last seats.
        Assert.True(allotments.ConflictsPerTransaction < 0.25 && allotments.ConflictsPerTransaction < oneRow.ConflictsPerTransaction / 4,
            $"{allotments.ConflictsPerTransaction} 412s/tx on 16 allotments, {oneRow.ConflictsPerTransaction} on one row");
    }

    [Fact]
    public void Run_FortyInstancesOnOneSession_HeldToThePartitionsEntitiesPerSecond()
    {
        var outcome = RushSimulation.Run(new RushScenario("x", 40, [1_000], WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true), Azure);

        Assert.Equal(1_000, outcome.Confirmed);
        Assert.True(outcome.ServerBusy > 0, "40 instances never found the partition busy");
        // What was written fits the partition's rate over the run (plus the tenth of a second it may burst).
        Assert.True(outcome.Entities <= Azure.PartitionEntitiesPerSecond * (outcome.SoldOutSeconds + 0.1) + 1,
            $"{outcome.Entities} entities in {outcome.SoldOutSeconds} s");
    }

    [Fact]
    public void Run_SameSeed_SameFigures()
    {
        var scenario = new RushScenario("x", 8, [200, 100], WriteCost.Allotments, 16, AllotmentChoice.Random, Throttled: true, Seed: 7);

        Assert.Equal(RushSimulation.Run(scenario, Azure), RushSimulation.Run(scenario, Azure));
    }
}
