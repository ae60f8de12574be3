using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// The textbook optimistic commit: read the counter, decide, write counter and rows in one
/// transaction guarded by the counter's ETag; on 412 someone else won, so back off and try again.
/// An admitted draft claims its code (one write) before its first transaction and keeps it on retry;
/// if it ends refused after all (a later read finds the session full), the code is given back.
/// </summary>
public sealed class SingleCommitter(
    SessionStore store,
    CodeDirectory codes,
    TimeProvider clock,
    IOptions<ReservationOptions> options,
    CommitMetrics metrics,
    ILogger<SingleCommitter> logger) : IReservationCommitter
{
    public async Task<Result<CommittedReservation>> CommitAsync(ReservationDraft draft, CancellationToken cancellationToken)
    {
        var maxAttempts = Math.Max(1, options.Value.MaxCommitAttempts);
        var code = ReservationCode.New();
        var claimed = false;
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await store.ReadAsync(draft.SessionId, draft.PhoneHash, cancellationToken);
            if (snapshot is null)
            {
                return DomainError.NotFound("session");
            }

            if (snapshot.PhoneMarkerCode is not null)
            {
                return await RefusedAsync(ReservationPlanner.Duplicate());
            }

            var decision = ReservationPlanner.Decide(snapshot.State, draft, code, clock.GetUtcNow());
            if (!decision.IsSuccess)
            {
                return await RefusedAsync(decision.Error);
            }

            if (!claimed)
            {
                if (!await codes.TryClaimAsync([code], draft.SessionId, cancellationToken))
                {
                    // Someone holds this code already (40 bits: rare): a new one, decided afresh. Not a conflict.
                    code = ReservationCode.New();
                    attempt--;
                    continue;
                }

                claimed = true;
            }

            var plan = decision.Value;
            var actions = new List<TableTransactionAction>(plan.Rows.Count + 1) { ReservationPlanner.CounterUpdate(plan.Next, snapshot.ETag) };
            actions.AddRange(plan.Rows);
            try
            {
                await store.SubmitAsync(actions, cancellationToken);
                metrics.Committed(1, actions.Count);
                return plan.Committed;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
            {
                metrics.Conflict();
                if (attempt >= maxAttempts)
                {
                    logger.LogWarning("Gave up on {SessionId} after {Attempts} conflicting attempts", draft.SessionId, attempt);
                    await ReleaseClaimAsync();
                    throw new CommitContentionException(draft.SessionId, attempt);
                }

                await ConflictBackoff.WaitAsync(attempt, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 2)
            {
                // Index 0 is the counter, 1 the reservation, 2 the phone marker: the same phone won a
                // race with itself between our read and our write.
                return await RefusedAsync(ReservationPlanner.Duplicate());
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
