using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Reservations;

/// <summary>A change to one session: the counter after it, the rows it writes, the SMS it owes, and its result.</summary>
public sealed record SessionChange<T>(SessionState Next, List<TableTransactionAction> Rows, List<OutboxMessage> Messages, T Value);

/// <summary>
/// Applies changes other than new reservations (cancel, check-in, capacity, promotion) to a session.
/// Each runs against a fresh read of the counter and commits in one transaction guarded by its
/// ETag; a 412 means another change came first, so it is decided again on the new state.
/// </summary>
public sealed class SessionChanges(
    SessionStore store,
    TimeProvider clock,
    IOptions<ReservationOptions> options,
    CommitMetrics metrics,
    OutboxDispatcher dispatcher)
{
    /// <summary>Room left in a transaction for promotions: 100 operations, 3 per promoted party.</summary>
    public const int MaxOperations = 100;

    public async Task<Result<T>> RunAsync<T>(
        string sessionId,
        Func<SessionSnapshot, DateTimeOffset, Task<Result<SessionChange<T>>>> decide,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await store.ReadAsync(sessionId, null, cancellationToken);
            if (snapshot is null)
            {
                return DomainError.NotFound("session");
            }

            var decision = await decide(snapshot, clock.GetUtcNow());
            if (!decision.IsSuccess)
            {
                return decision.Error;
            }

            var change = decision.Value;
            if (change.Rows.Count == 0 && change.Messages.Count == 0 && change.Next == snapshot.State)
            {
                // Nothing to write (e.g. a promotion round that found nobody who fits).
                return change.Value;
            }

            var actions = new List<TableTransactionAction>(change.Rows.Count + 1)
            {
                ReservationPlanner.CounterUpdate(change.Next, snapshot.ETag),
            };
            actions.AddRange(change.Rows);
            try
            {
                await store.SubmitAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
            {
                // The counter or a row changed under us (412), or a row we expected vanished or
                // appeared (404/409) because another change won: decide again on fresh state.
                metrics.Conflict();
                if (attempt >= Math.Max(1, options.Value.MaxCommitAttempts))
                {
                    throw new CommitContentionException(sessionId, attempt);
                }

                await ConflictBackoff.WaitAsync(attempt, cancellationToken);
                continue;
            }

            foreach (var message in change.Messages)
            {
                await dispatcher.DispatchAsync(message, cancellationToken);
            }

            return change.Value;
        }
    }

    /// <summary>
    /// Adds to a change the promotion of waitlisted parties into the seats that are free after it,
    /// in line order, while booking is open, as far as one transaction allows.
    /// </summary>
    public async Task<SessionState> PromoteIntoAsync(
        SessionState next, List<TableTransactionAction> rows, List<OutboxMessage> messages, bool skipAhead,
        DateTimeOffset now, long? leavingSeq, CancellationToken cancellationToken)
    {
        if (next.WaitlistParties == 0 || next.Remaining == 0 || BookingWindowRule.Check(next, now) is not null)
        {
            return next;
        }

        var line = new List<WaitlistTicket>();
        await foreach (var row in store.QueryPrefixAsync(next.SessionId, SessionRows.WaitlistPrefix, cancellationToken))
        {
            var seq = long.Parse(row.RowKey[SessionRows.WaitlistPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (seq != leavingSeq)
            {
                line.Add(new WaitlistTicket(seq, row.GetString("Code"), row.GetInt32("PartySize") ?? 0));
            }
        }

        var room = (MaxOperations - 1 - rows.Count) / 3;
        foreach (var ticket in WaitlistPromotionRule.Select(line, next.Remaining, skipAhead, room))
        {
            rows.Add(new(TableTransactionActionType.UpdateMerge,
                new TableEntity(next.SessionId, SessionRows.Reservation(ticket.Code))
                {
                    ["Status"] = ReservationStatus.Confirmed,
                    ["PromotedAt"] = now,
                },
                ETag.All));
            rows.Add(new(TableTransactionActionType.Delete, new TableEntity(next.SessionId, SessionRows.Waitlist(ticket.Seq)), ETag.All));
            var message = OutboxMessage.For(next.SessionId, ticket.Code, SmsKind.Promoted, now);
            rows.Add(new(TableTransactionActionType.Add, SessionEntities.ToEntity(next.SessionId, message)));
            messages.Add(message);
            next = next with
            {
                Reserved = next.Reserved + ticket.PartySize,
                Waitlisted = next.Waitlisted - ticket.PartySize,
                WaitlistParties = next.WaitlistParties - 1,
            };
        }

        return next;
    }

    /// <summary>
    /// Promotes in further transactions while parties that fit are still waiting after a change whose
    /// transaction could not hold every promotion (a large capacity raise). Returns the last state.
    /// </summary>
    public async Task<SessionState> PromoteRemainingAsync(SessionState state, bool skipAhead, CancellationToken cancellationToken)
    {
        for (var round = 0; round < 100 && state.WaitlistParties > 0 && state.Remaining > 0; round++)
        {
            var promoted = 0;
            var result = await RunAsync<SessionState>(state.SessionId, async (snapshot, now) =>
            {
                var rows = new List<TableTransactionAction>();
                var messages = new List<OutboxMessage>();
                var next = await PromoteIntoAsync(snapshot.State, rows, messages, skipAhead, now, null, cancellationToken);
                promoted = messages.Count;
                return new SessionChange<SessionState>(next, rows, messages, next);
            }, cancellationToken);
            if (!result.IsSuccess)
            {
                return state;
            }

            state = result.Value;
            if (promoted == 0)
            {
                break;
            }
        }

        return state;
    }

    /// <summary>The place in line of a waitlisted reservation (1 is next).</summary>
    public async Task<int> WaitlistPositionAsync(string sessionId, long seq, CancellationToken cancellationToken)
    {
        var ahead = 0;
        await foreach (var row in store.QueryPrefixAsync(sessionId, SessionRows.WaitlistPrefix, cancellationToken))
        {
            if (string.CompareOrdinal(row.RowKey, SessionRows.Waitlist(seq)) < 0)
            {
                ahead++;
            }
        }

        return ahead + 1;
    }
}
