namespace FestivalReservations.Core.Lotteries;

/// <summary>When a lottery session takes entries and when it is drawn (festival-local instants).</summary>
public sealed record LotteryWindow(DateTimeOffset EntriesOpenAt, DateTimeOffset EntriesCloseAt, DateTimeOffset DrawAt);

/// <summary>
/// A lottery session's draw as its counter holds it: the window, the seed (a secret until the draw:
/// only its hash is published), the entries taken, and how far the draw has got. <see cref="Drawn"/>
/// is the draw cursor: how many entries of the draw order have been answered, written in the same
/// transaction as their rows, so a draw that stopped halfway resumes where it was.
/// </summary>
public sealed record LotteryState
{
    public required LotteryWindow Window { get; init; }

    /// <summary>32 random bytes as hex. Never returned by an API nor logged before <see cref="DrawnAt"/>.</summary>
    public required string Seed { get; init; }

    /// <summary>Hex SHA-256 of the seed's bytes: the commitment, public from the moment entries open.</summary>
    public string SeedHash => LotterySeed.Hash(Seed);

    /// <summary>Active entries (an entry cancelled before entries close leaves the count).</summary>
    public int Entries { get; init; }

    /// <summary>The draw cursor: entries of the draw order answered so far.</summary>
    public int Drawn { get; init; }

    /// <summary>Parties the draw seated.</summary>
    public int Won { get; init; }

    /// <summary>Parties the draw put on the waitlist.</summary>
    public int WaitlistedByDraw { get; init; }

    /// <summary>Set by the draw's last step: from then on the session is first-come (seats left open at once).</summary>
    public DateTimeOffset? DrawnAt { get; init; }

    public bool IsDrawn => DrawnAt is not null;

    public string PhaseAt(DateTimeOffset now) =>
        IsDrawn ? LotteryStatus.Drawn
        : now < Window.EntriesOpenAt ? LotteryStatus.Scheduled
        : now < Window.EntriesCloseAt ? LotteryStatus.Open
        : LotteryStatus.Closed;

    /// <summary>Whether the seed's hash may be shown (from the moment entries open).</summary>
    public bool SeedHashPublicAt(DateTimeOffset now) => now >= Window.EntriesOpenAt || IsDrawn;
}

/// <summary>The contract's lottery statuses.</summary>
public static class LotteryStatus
{
    public const string Scheduled = "scheduled";
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Drawn = "drawn";
}

/// <summary>The contract's allocation names.</summary>
public static class Allocation
{
    public const string FirstCome = "first-come";
    public const string Lottery = "lottery";

    public static bool IsKnown(string? allocation) => allocation is null or FirstCome or Lottery;
}
