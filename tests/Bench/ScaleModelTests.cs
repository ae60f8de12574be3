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
        // Account: session rows, a Codes row, a key's claim and answer for each of 5 attempts, and
        // PhoneDays: the seat's hold, and for each of the 2 other attempts that reached the commit a
        // hold and its giving back (the 2 refused before storage write none).
        Assert.Equal(1.125 + 1 + 10 + 1 + 2 * 2, ScaleArithmetic.AccountEntitiesPerReservation(WriteCost.Allotments, 16, attemptsPerSeat: 5, heldPerSeat: 3));
        Assert.Equal(1.125 + 1 + 2 + 1, ScaleArithmetic.AccountEntitiesPerReservation(WriteCost.Allotments, 16, attemptsPerSeat: 1, heldPerSeat: 1));
        Assert.Equal(20_000 / 17.125, ScaleArithmetic.AccountCeiling(Azure, WriteCost.Allotments, 16, attemptsPerSeat: 5, heldPerSeat: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaleArithmetic.AccountEntitiesPerReservation(WriteCost.Allotments, 16, attemptsPerSeat: 2, heldPerSeat: 3));
    }

    [Fact]
    public void PhoneDays_PerRequest_NoneWhenSeenFull_OneHold_TwoWhenGivenBack()
    {
        Assert.Equal(0, ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: false, refusedAtCommit: false));
        Assert.Equal(1, ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: false));
        Assert.Equal(2, ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: true));
        // 40 instances: 12,800 requests/s, as many holds, on top of 25,600 key entities/s.
        Assert.Equal((12_800, 25_600), (ScaleArithmetic.PhoneDayEntitiesPerSecond(Azure, 40), ScaleArithmetic.IdempotencyEntitiesPerSecond(Azure, 40)));
        // 16 partitions a day take 32,000/s: the account's 20,000 is the limit, not the partitions.
        Assert.Equal(32_000, ScaleArithmetic.PhoneDayPartitionsCeiling(Azure));
        Assert.True(ScaleArithmetic.PhoneDayPartitionsCeiling(Azure) > Azure.AccountEntitiesPerSecond);
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
        Assert.True(outcome.PhoneDayEntities >= outcome.Confirmed, $"{outcome.PhoneDayEntities} PhoneDays entities for {outcome.Confirmed} seats");
        Assert.True(outcome.ConfirmedWaitP99Seconds >= outcome.ConfirmedWaitP50Seconds && outcome.ConfirmedWaitP50Seconds > 0);
    }

    [Fact]
    public void Run_OneInstanceOneRow_AccountCarriesSessionRowsCodesKeysAndHolds()
    {
        // One lane, one row: no 412, no refusal before the sell-out ends the run.
        var outcome = RushSimulation.Run(new RushScenario("x", 1, [20], WriteCost.Allotments, 1, AllotmentChoice.Sticky, Throttled: false), Azure);

        Assert.Equal((20, 0L, 0L), (outcome.Confirmed, outcome.Conflicts, outcome.RefusedEarly));
        // Each request in a round: its key's claim and answer (2) and its phone's day hold (1).
        Assert.Equal(outcome.Entities + outcome.Confirmed + 3 * outcome.PhoneDayEntities, outcome.AccountEntities);
    }

    [Fact]
    public void Run_SessionsSeenFull_RefusedBeforeStorage_AtNoPhoneDaysCost()
    {
        int[] sunday = [400, 30, 30, 30, 30];
        var early = RushSimulation.Run(new RushScenario("x", 8, sunday, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false), Azure);
        var late = RushSimulation.Run(new RushScenario("x", 8, sunday, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false, RefuseSeenFull: false), Azure);

        Assert.Equal((520, 520), (early.Confirmed, late.Confirmed));
        Assert.True(early.RefusedEarly > 0, "no request was refused early after the small sessions sold out");
        Assert.Equal(0, late.RefusedEarly);
        // Without the early refusal every refused request holds and gives back (2 PhoneDays entities); with it, none.
        Assert.True(early.PhoneDayEntitiesPerReservation < late.PhoneDayEntitiesPerReservation,
            $"{early.PhoneDayEntitiesPerReservation} PhoneDays entities/res. refusing early, {late.PhoneDayEntitiesPerReservation} without");
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
