using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Sessions;

/// <summary>
/// Runs a change other than a new reservation (cancel, check-in, capacity, promotion, no-shows,
/// erasure) against one session: load what it needs, decide (pure, on <see cref="Session"/>),
/// save. The save is guarded by the counter's ETag; when another change came first (412, or a row
/// that appeared or vanished) the change is decided again on fresh state, a bounded number of
/// times. The SMS the change owes go out after it is written.
/// </summary>
public sealed class SessionChanges(
    SessionStore store,
    TimeProvider clock,
    IOptions<ReservationOptions> options,
    CommitMetrics metrics,
    OutboxDispatcher dispatcher)
{
    /// <summary>Loads <paramref name="load"/> of the session, decides with <paramref name="decide"/> (no I/O) and saves what it changed.</summary>
    /// <remarks>
    /// <paramref name="rest"/>: for a change that may need more than one transaction (many promotions, many no-shows): what is
    /// left to do once its first transactions are written and a later one conflicted, decided again on
    /// fresh state (it must be safe to repeat). Without it the rest is left for the next change.
    /// </remarks>
    public async Task<Result<T>> RunAsync<T>(
        string sessionId, SessionLoad load, Func<Session, DateTimeOffset, Result<T>> decide, CancellationToken cancellationToken,
        Action<Session, DateTimeOffset>? rest = null)
    {
        var current = decide;
        var written = false;
        T answer = default!;
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(sessionId, load, cancellationToken);
            if (loaded is null)
            {
                return written ? answer : DomainError.NotFound("session");
            }

            var decision = current(loaded.Session, clock.GetUtcNow());
            if (!decision.IsSuccess)
            {
                return written ? answer : decision.Error;
            }

            var session = loaded.Session;
            if (!session.HasChanges)
            {
                return written ? answer : decision.Value;
            }

            try
            {
                await store.SaveAsync(loaded, cancellationToken);
                await dispatcher.DispatchAsync(loaded.Outbox, cancellationToken);
                return written ? answer : decision.Value;
            }
            catch (SessionConflictException e) when (e.CommittedSteps == 0)
            {
                metrics.Conflict("change");
                if (attempt >= Math.Max(1, options.Value.MaxCommitAttempts))
                {
                    if (written)
                    {
                        return answer;
                    }

                    throw new CommitContentionException(sessionId, attempt);
                }

                await ConflictBackoff.WaitAsync(attempt, cancellationToken);
            }
            catch (SessionConflictException)
            {
                // The change asked for is written (it is in the first transaction); what is left is
                // decided again on the state as it is now.
                metrics.Conflict("change");
                await dispatcher.DispatchAsync(loaded.Outbox, cancellationToken);
                if (!written)
                {
                    answer = decision.Value;
                    written = true;
                }

                if (rest is null)
                {
                    return answer;
                }

                current = (s, now) =>
                {
                    rest(s, now);
                    return answer;
                };
                attempt = 0;
            }
        }
    }
}
