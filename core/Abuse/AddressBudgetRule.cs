namespace FestivalReservations.Core.Abuse;

/// <summary>
/// How a per-minute budget is kept across instances: in windows of 15 s aligned to the clock, each
/// granting a quarter of the minute's budget, handed out to instances in chunks of an eighth of what
/// is left of the window's budget (at least 1): the first chunks are large, so a busy client costs
/// few storage writes, and the last ones small, so the tokens instances took but did not spend (lost
/// to the client, never granted twice) stay few however many instances there are. Any 60 s overlaps
/// at most five windows, so a client gets at most 1.25× the minute's budget in any minute, however
/// many instances it spreads over.
/// </summary>
public static class AddressBudgetRule
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    public const int WindowsPerMinute = 4;

    public const int ChunksPerWindow = 8;

    public static long WindowIndex(DateTimeOffset now) => now.ToUnixTimeSeconds() / (long)Window.TotalSeconds;

    public static DateTimeOffset WindowStart(long index) => DateTimeOffset.FromUnixTimeSeconds(index * (long)Window.TotalSeconds);

    public static int WindowBudget(int perMinute) => (int)Math.Ceiling(Math.Max(1, perMinute) / (double)WindowsPerMinute);

    /// <summary>The next chunk of a window whose budget is <paramref name="budget"/> and of which <paramref name="granted"/> are taken: 0 when none is left.</summary>
    public static int Chunk(int budget, int granted) =>
        granted >= budget ? 0 : Math.Max(1, (int)Math.Ceiling((budget - granted) / (double)ChunksPerWindow));

    /// <summary>How long until the window after <paramref name="index"/> starts: at least a second.</summary>
    public static TimeSpan UntilNextWindow(long index, DateTimeOffset now)
    {
        var wait = WindowStart(index + 1) - now;
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }
}

/// <summary>
/// One claim on a window's budget for one client key and action: the next chunk
/// (<see cref="AddressBudgetRule.Chunk"/>), never more than <paramref name="Budget"/> in all.
/// <paramref name="RowSeen"/> says this instance already met the window's row (so the claim reads
/// first instead of trying to create it).
/// </summary>
public sealed record BudgetClaim(LimitedAction Action, string Key, long WindowIndex, int Budget, bool RowSeen)
{
    public DateTimeOffset WindowStart => AddressBudgetRule.WindowStart(WindowIndex);
}

/// <summary>Where the windows' grants are kept, shared by every instance (core/Storage: AddressBudgetLedger).</summary>
public interface IAddressBudgetLedger
{
    /// <summary>
    /// The tokens this claim was granted (0 when the window's budget is spent), or null when other
    /// instances kept winning the row (the caller refuses this one request and tries again next time).
    /// </summary>
    Task<int?> ClaimAsync(BudgetClaim claim, CancellationToken cancellationToken);
}
