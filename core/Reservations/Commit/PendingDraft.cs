using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>One caller's draft waiting in its session's queue, and the answer it will get.</summary>
public sealed class PendingDraft(ReservationDraft draft, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<Result<CommittedReservation>> _answer =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReservationDraft Draft { get; } = draft;

    /// <summary>When the draft joined its queue (a Stopwatch timestamp).</summary>
    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The caller's token: a draft whose caller gave up before its batch was built is left out.</summary>
    public CancellationToken CallerToken { get; } = cancellationToken;

    /// <summary>The caller's span (its HTTP function), which the round that commits the draft continues or links to.</summary>
    public System.Diagnostics.ActivityContext TraceContext { get; } = System.Diagnostics.Activity.Current?.Context ?? default;

    public Task<Result<CommittedReservation>> Outcome => _answer.Task;

    public bool IsAnswered => _answer.Task.IsCompleted;

    public void Answer(Result<CommittedReservation> result) => _answer.TrySetResult(result);

    public void Fail(Exception exception) => _answer.TrySetException(exception);

    public void Cancel() => _answer.TrySetCanceled(CallerToken);
}
