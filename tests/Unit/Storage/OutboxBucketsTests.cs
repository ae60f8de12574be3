using FestivalReservations.Core.Storage;

namespace FestivalReservations.Tests.Unit.Storage;

/// <summary>The outbox index's minute buckets: names in time order, and when a session's entry may go.</summary>
public sealed class OutboxBucketsTests
{
    private static readonly DateTimeOffset Seoul = new(2024, 9, 8, 9, 30, 59, TimeSpan.FromHours(9));

    [Fact]
    public void Of_AnyOffset_NamesTheUtcMinute()
    {
        Assert.Equal("202409080030", OutboxBuckets.Of(Seoul));
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 0, 30, 0, TimeSpan.Zero), OutboxBuckets.Start("202409080030"));
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 0, 31, 0, TimeSpan.Zero), OutboxBuckets.End("202409080030"));
    }

    [Fact]
    public void Of_LaterMinute_SortsAfter()
    {
        var names = new[] { Seoul, Seoul.AddSeconds(1), Seoul.AddHours(15), Seoul.AddDays(40) }.Select(OutboxBuckets.Of).ToList();

        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        Assert.Equal("202409080031", names[1]);
    }

    [Fact]
    public void CanClear_MinuteEndedLongEnoughAgoAndNothingLeft_IsTrue() =>
        Assert.True(OutboxBuckets.CanClear("202409080030", OutboxBuckets.End("202409080030"), []));

    [Fact]
    public void CanClear_MinuteTooRecent_IsFalse() =>
        Assert.False(OutboxBuckets.CanClear("202409080030", OutboxBuckets.End("202409080030").AddTicks(-1), []));

    [Fact]
    public void CanClear_ARowOfThatMinuteOrEarlierLeft_IsFalse()
    {
        var end = OutboxBuckets.End("202409080030");

        Assert.False(OutboxBuckets.CanClear("202409080030", end.AddHours(1), [end.AddTicks(-1)]));
        Assert.False(OutboxBuckets.CanClear("202409080030", end.AddHours(1), [end.AddMinutes(-30)]));
        Assert.True(OutboxBuckets.CanClear("202409080030", end.AddHours(1), [end]));
    }
}
