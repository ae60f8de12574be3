using FestivalReservations.Core.Lotteries;

namespace FestivalReservations.Core.Reservations;

/// <summary>A session's counter: its definition and the seats taken, as one row decides it.</summary>
public sealed record SessionState
{
    public required string SessionId { get; init; }
    public required string ProgramId { get; init; }
    public required DateOnly Date { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required DateTimeOffset BookingOpensAt { get; init; }
    public required int Capacity { get; init; }

    /// <summary>Seats held by confirmed and checked-in reservations.</summary>
    public int Reserved { get; init; }

    /// <summary>People on the waitlist (sum of waitlisted party sizes).</summary>
    public int Waitlisted { get; init; }

    /// <summary>Parties on the waitlist.</summary>
    public int WaitlistParties { get; init; }

    /// <summary>People checked in.</summary>
    public int CheckedIn { get; init; }

    /// <summary>People of reservations marked no-show after the session ended (their seats left Reserved then).</summary>
    public int NoShows { get; init; }

    /// <summary>Closed by staff.</summary>
    public bool Closed { get; init; }

    /// <summary>The next waitlist ticket; tickets only grow, so order is first come first served.</summary>
    public long NextWaitlistSeq { get; init; } = 1;

    /// <summary>
    /// Seats handed to the session's allotments and not yet folded back (their free seats and the
    /// seats taken through them): the counter's own free seats are what is left after these.
    /// </summary>
    public int Escrow { get; init; }

    /// <summary>How many allotment rows the session has (0: every seat is decided on the counter).</summary>
    public int Allotments { get; init; }

    /// <summary>
    /// Bumped by every change to what an allotment's admissions depend on (capacity, window, closed, a
    /// waitlist forming); an allotment of another epoch may not be used against this counter.
    /// </summary>
    public long Epoch { get; init; }

    /// <summary>The session's lottery when its seats are allocated by a draw (null: first come, first served).</summary>
    public LotteryState? Lottery { get; init; }

    public string Allocation => Lottery is null ? Lotteries.Allocation.FirstCome : Lotteries.Allocation.Lottery;

    /// <summary>A lottery not drawn yet: it takes entries, and nothing is booked first come.</summary>
    public bool TakesEntries => Lottery is { IsDrawn: false };

    /// <summary>Free seats on the counter itself (not counting those waiting in allotments).</summary>
    public int Remaining => Math.Max(0, Capacity - Reserved - Escrow);

    /// <summary>
    /// The session as visitors and staff see it: the seats taken through allotments counted in
    /// <see cref="Reserved"/>, and their free seats in <see cref="Remaining"/>.
    /// </summary>
    public SessionState Settled(IEnumerable<Allotment> allotments)
    {
        var taken = 0;
        foreach (var allotment in allotments)
        {
            taken += allotment.Taken;
        }

        return this with { Reserved = Reserved + taken, Escrow = 0 };
    }

    public DateTimeOffset BookingClosesAt => Start;

    /// <remarks>A lottery before its draw is open while it takes entries and scheduled otherwise: first-come seats open after the draw.</remarks>
    public string StatusAt(DateTimeOffset now) =>
        Closed || now >= BookingClosesAt ? SessionStatus.Closed
        : Lottery is { IsDrawn: false } lottery ? (lottery.PhaseAt(now) == LotteryStatus.Open ? SessionStatus.Open : SessionStatus.Scheduled)
        : now < BookingOpensAt ? SessionStatus.Scheduled
        : Remaining == 0 ? SessionStatus.Full
        : SessionStatus.Open;
}

/// <summary>The contract's session statuses.</summary>
public static class SessionStatus
{
    public const string Scheduled = "scheduled";
    public const string Open = "open";
    public const string Full = "full";
    public const string Closed = "closed";
}
