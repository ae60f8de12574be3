using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;

namespace FestivalReservations.Tests.Unit.Abuse;

/// <summary>One phone, one festival day: at most the cap of sessions, none overlapping.</summary>
public sealed class PhoneDayRuleTests
{
    private static readonly DateTimeOffset Sunday = new(2024, 9, 8, 13, 0, 0, TimeSpan.FromHours(9));

    private static PhoneHold Hold(string id, int startHour, int minutes = 60) =>
        new(id, Sunday.AddHours(startHour - 13), Sunday.AddHours(startHour - 13).AddMinutes(minutes), Sunday, ["r"]);

    [Fact]
    public void Check_UnderTheCapNoOverlap_MayHold()
    {
        var (refusal, blocking) = PhoneDayRule.Check([Hold("a", 13), Hold("b", 14)], "c", Sunday.AddHours(2), Sunday.AddHours(3), 4);

        Assert.Null(refusal);
        Assert.Empty(blocking);
    }

    [Fact]
    public void Check_AtTheCap_PhoneLimitReached_AllOthersBlock()
    {
        var holds = new[] { Hold("a", 13), Hold("b", 14), Hold("c", 15), Hold("d", 16) };

        var (refusal, blocking) = PhoneDayRule.Check(holds, "e", Sunday.AddHours(5), Sunday.AddHours(6), 4);

        Assert.Equal(ErrorCode.PhoneLimitReached, refusal?.Code);
        Assert.Equal(4, blocking.Count);
    }

    [Fact]
    public void Check_TheSameSessionAgain_IsNotCountedAgainstItself()
    {
        var holds = new[] { Hold("a", 13), Hold("b", 14), Hold("c", 15), Hold("d", 16) };

        Assert.Null(PhoneDayRule.Check(holds, "d", Sunday.AddHours(3), Sunday.AddHours(4), 4).Refusal);
    }

    [Theory]
    [InlineData(14, 30, 60, true)] // 14:30-15:30 against 14:00-15:00
    [InlineData(13, 30, 30, false)] // 13:30-14:00 ends as it starts
    [InlineData(15, 0, 60, false)] // 15:00-16:00 starts as it ends
    [InlineData(13, 0, 60, false)] // 13:00-14:00
    [InlineData(13, 30, 120, true)] // 13:30-15:30, around it
    public void Check_Overlap_RefusedWithTheOverlappingHold(int hour, int minute, int minutes, bool overlaps)
    {
        var start = Sunday.AddHours(hour - 13).AddMinutes(minute);

        var (refusal, blocking) = PhoneDayRule.Check([Hold("a", 14), Hold("b", 18)], "x", start, start.AddMinutes(minutes), 4);

        Assert.Equal(overlaps ? ErrorCode.OverlappingReservation : null, refusal?.Code);
        Assert.Equal(overlaps ? ["a"] : [], blocking.Select(h => h.SessionId));
    }
}
