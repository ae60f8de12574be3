using System.Diagnostics;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// The textbook optimistic commit: read the counter, decide, write counter and rows in one
/// transaction guarded by the counter's ETag; on 412 someone else won, so back off and try again.
/// An admitted draft claims its code (one write) before its first transaction and keeps it on retry;
/// if it ends refused after all (a later read finds the session full), the code is given back.
/// What it committed is applied to this instance's kept counter (read-your-writes).
/// </summary>
public sealed class SingleCommitter(
    SessionStore store,
    CodeDirectory codes,
    TimeProvider clock,
    IOptions<ReservationOptions> options,
    CommitMetrics metrics,
    Queries.SessionCounterCache counters,
    ILogger<SingleCommitter> logger) : IReservationCommitter
{
    public async Task<Result<CommittedReservation>> CommitAsync(ReservationDraft draft, CancellationToken cancellationToken)
    {
        using var span = FestivalTelemetry.Source.StartActivity("commit", ActivityKind.Internal, default(ActivityContext),
            [new("session.id", draft.SessionId), new("festival.commit.mode", nameof(CommitMode.Single))]);
        var started = Stopwatch.GetTimestamp();
        var maxAttempts = Math.Max(1, options.Value.MaxCommitAttempts);
        var code = ReservationCode.New();
        var claimed = false;
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(draft.SessionId, new SessionLoad { PhoneHash = draft.PhoneHash, Allotments = true }, cancellationToken);
            if (loaded is null)
            {
                return DomainError.NotFound("session");
            }

            var decision = loaded.Session.Reserve(draft, code, clock.GetUtcNow());
            if (!decision.IsSuccess)
            {
                return await RefusedAsync(decision.Error);
            }

            if (!claimed)
            {
                if (!await codes.TryClaimAsync([code], draft.SessionId, cancellationToken, draft.PhoneHash))
                {
                    // Someone holds this code already (40 bits: rare): a new one, decided afresh. Not a conflict.
                    code = ReservationCode.New();
                    attempt--;
                    continue;
                }

                claimed = true;
            }

            try
            {
                await store.SaveAsync(loaded, cancellationToken);
                metrics.Committed(1, SessionTransactions.Operations(loaded.Session.Steps), CommitMode.Single, Stopwatch.GetElapsedTime(started));
                counters.Committed(draft.SessionId, [decision.Value.Reservation]);
                return decision.Value with { Outbox = loaded.Outbox };
            }
            catch (SessionConflictException e) when (e.Kind == SessionConflictKind.Changed)
            {
                metrics.Conflict("counter.read");
                if (attempt >= maxAttempts)
                {
                    logger.LogWarning("Gave up on {SessionId} after {Attempts} conflicting attempts", draft.SessionId, attempt);
                    await ReleaseClaimAsync();
                    throw new CommitContentionException(draft.SessionId, attempt);
                }

                await ConflictBackoff.WaitAsync(attempt, cancellationToken);
            }
            catch (SessionConflictException e) when (e.Kind == SessionConflictKind.RowExists && e.FailedEvent is PhoneMarkerAdded)
            {
                // The same phone won a race with itself between our read and our write.
                return await RefusedAsync(OnePhoneRule.Duplicate());
            }
            catch (SessionConflictException e) when (e.InnerException is { } storage)
            {
                // Any other row (409/404): not a race this mode resolves; storage's own answer goes up.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(storage);
            }
        }

        // Only where no transaction of this draft can have committed (a refusal, a 412, a 409): a
        // storage error may hide a commit, and its code must then stay.
        async Task<DomainError> RefusedAsync(DomainError error)
        {
            await ReleaseClaimAsync();
            return error;
        }

        async Task ReleaseClaimAsync()
        {
            if (claimed)
            {
                claimed = false;
                await codes.ReleaseAsync([code], CancellationToken.None);
            }
        }
    }
}
