using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Tests.Unit.Reservations.Rules;

public sealed class WaitlistPromotionRuleTests
{
    private static readonly WaitlistTicket[] Line =
    [
        new(1, "A", 2),
        new(2, "B", 4),
        new(3, "C", 1),
        new(4, "D", 1),
    ];

    private static string Codes(IEnumerable<WaitlistTicket> tickets) => string.Concat(tickets.Select(t => t.Code));

    [Fact]
    public void Select_StrictEnoughForAll_PromotesAllInOrder()
    {
        Assert.Equal("ABCD", Codes(WaitlistPromotionRule.Select(Line, 8, skipAhead: false)));
    }

    [Fact]
    public void Select_StrictSecondDoesNotFit_StopsAtIt()
    {
        // 5 seats: A (2) fits, B (4) does not; C and D would fit but wait behind B.
        Assert.Equal("A", Codes(WaitlistPromotionRule.Select(Line, 5, skipAhead: false)));
    }

    [Fact]
    public void Select_StrictFirstDoesNotFit_PromotesNobody()
    {
        Assert.Empty(WaitlistPromotionRule.Select(Line, 1, skipAhead: false));
    }

    [Fact]
    public void Select_SkipAhead_SmallerPartiesBehindTakeTheSeats()
    {
        Assert.Equal("ACD", Codes(WaitlistPromotionRule.Select(Line, 5, skipAhead: true)));
    }

    [Fact]
    public void Select_SkipAheadFirstDoesNotFit_FirstFittingFurtherBackPromoted()
    {
        // 1 seat: A (2) and B (4) do not fit, C (1) does, then nothing is left for D.
        Assert.Equal("C", Codes(WaitlistPromotionRule.Select(Line, 1, skipAhead: true)));
    }

    [Fact]
    public void Select_Max_StopsAfterMaxParties()
    {
        Assert.Equal("AB", Codes(WaitlistPromotionRule.Select(Line, 100, skipAhead: false, max: 2)));
    }

    [Fact]
    public void Select_MaxZero_PromotesNobody()
    {
        Assert.Empty(WaitlistPromotionRule.Select(Line, 100, skipAhead: true, max: 0));
    }

    [Fact]
    public void Select_NoFreeSeats_PromotesNobody()
    {
        Assert.Empty(WaitlistPromotionRule.Select(Line, 0, skipAhead: true));
    }
}
