namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// Jittered exponential backoff between attempts after an ETag conflict ("full jitter"): the wait is
/// random in [0, min(cap, base * 2^attempt)], so clients that collided do not collide again in step.
/// These waits are about real contention on storage, not festival time, so they use the real clock
/// even where the app's clock is pinned or faked.
/// </summary>
public static class ConflictBackoff
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(500);

    public static Task WaitAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Delay(attempt), cancellationToken);

    public static TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
