namespace FestivalReservations.Core.Sessions;

/// <summary>Why storage refused a session's transaction.</summary>
public enum SessionConflictKind
{
    /// <summary>The counter (or a row) changed since it was read: someone else's change came first (412).</summary>
    Changed,

    /// <summary>A row this change adds exists already (409): for a phone marker, the phone already booked.</summary>
    RowExists,

    /// <summary>A row this change expected is gone (404).</summary>
    RowMissing,
}

/// <summary>
/// A session's transaction was refused as a whole. <see cref="CommittedSteps"/> steps of the change
/// were written by earlier transactions of the same save (a change that needed more than one).
/// </summary>
public sealed class SessionConflictException(
    string sessionId, SessionConflictKind kind, int? failedStep, SessionEvent? failedEvent, int committedSteps, Exception inner)
    : Exception($"A change to session {sessionId} conflicted ({kind}) after {committedSteps} committed steps.", inner)
{
    public string SessionId { get; } = sessionId;

    public SessionConflictKind Kind { get; } = kind;

    /// <summary>The step whose row failed, when storage said which.</summary>
    public int? FailedStep { get; } = failedStep;

    public SessionEvent? FailedEvent { get; } = failedEvent;

    public int CommittedSteps { get; } = committedSteps;
}
