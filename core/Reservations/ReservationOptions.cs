namespace FestivalReservations.Core.Reservations;

public enum CommitMode
{
    /// <summary>Requests for one session arriving together share one entity group transaction.</summary>
    Batched,

    /// <summary>Each request reads the counter and writes it with its ETag, retrying on conflict.</summary>
    Single,
}

/// <summary>How reservations are committed.</summary>
public sealed class ReservationOptions
{
    public const string Section = "Reservations";

    public CommitMode CommitMode { get; set; } = CommitMode.Batched;

    /// <summary>How many times one commit is tried when the counter's ETag keeps changing.</summary>
    public int MaxCommitAttempts { get; set; } = 12;

    /// <summary>
    /// At most this many allotment rows per session (0: every booking is decided on the counter).
    /// Instances booking one hot session write different allotments, so more allotments than
    /// instances keeps them apart.
    /// </summary>
    public int Allotments { get; set; } = 16;

    /// <summary>The fewest seats an allotment is given: a session gets no more allotments than its free seats allow of these.</summary>
    public int MinSeatsPerAllotment { get; set; } = 8;

    /// <summary>Active reservations and lottery entries one phone may hold on one festival day (none of them overlapping in time).</summary>
    public int MaxPerPhonePerDay { get; set; } = 4;
}
