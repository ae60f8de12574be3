namespace FestivalReservations.Core.Time;

/// <summary>
/// A clock that starts at a pinned moment and runs on at real speed from there: local runs of a
/// season that is in the past (Festival:Now) behave as if booking were happening now.
/// </summary>
public sealed class PinnedTimeProvider(DateTimeOffset pinnedAt, TimeProvider inner) : TimeProvider
{
    private readonly long _startedAt = inner.GetTimestamp();

    public DateTimeOffset PinnedAt { get; } = pinnedAt;

    public override DateTimeOffset GetUtcNow() =>
        PinnedAt.ToUniversalTime() + inner.GetElapsedTime(_startedAt);

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();
}
