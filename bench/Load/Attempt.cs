namespace FestivalReservations.Bench.Load;

/// <summary>One visitor's try at one session.</summary>
public sealed record Attempt(int Index, string SessionId, string Phone, int PartySize);

/// <summary>
/// How an attempt ended: the final HTTP status (after retrying 503s), the contract code of a refusal,
/// the reservation code and status of a 201, the visitor's wait from first send to final answer,
/// and when the answer came (since the run started).
/// </summary>
public sealed record AttemptOutcome(
    Attempt Attempt, int Status, string? ErrorCode, string? ReservationCode, string? ReservationStatus,
    double LatencyMs, double AnsweredAtMs, int Unavailable)
{
    public bool Confirmed => Status == 201 && ReservationStatus == "confirmed";

    /// <summary>Which app instance the attempt was sent to (0-based, by its client).</summary>
    public int Instance { get; init; }

    /// <summary>
    /// The run's bound came while the attempt was being retried (a 503, a timeout or a dropped
    /// connection): it was not sent again, so it has no final answer.
    /// </summary>
    public bool CutAtBound { get; init; }
}
