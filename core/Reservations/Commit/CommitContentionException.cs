namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>A commit kept losing the race for its session's counter; the caller answers 503 and the client retries.</summary>
public sealed class CommitContentionException(string sessionId, int attempts)
    : Exception($"Session {sessionId} stayed contended for {attempts} attempts.")
{
    public string SessionId { get; } = sessionId;
}
