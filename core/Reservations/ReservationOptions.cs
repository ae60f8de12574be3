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
}
