using System.Collections.Concurrent;
using System.Diagnostics;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// Group commit: drafts for one session that arrive while a transaction for it is in flight wait in
/// the session's <see cref="SessionBatchQueue"/> and are written together in the next one (counter
/// once, guarded by its ETag, then every admitted draft's rows, at most 100 operations). Each caller
/// gets its own answer. Only admitted drafts take a code, claimed in the Codes table before the
/// session's transaction: while drafts are waiting for seats the next round's codes are claimed
/// (one transaction, one shelf) during this round's write (<see cref="CodeReserve"/>), so a round
/// costs about two writes however many it admits, a refusal costs none, and nobody waits for a claim. Within this instance requests no longer fight over the counter; across
/// instances the ETag still decides: on 412 the batch is read and decided again (bounded, jittered).
/// A draft whose phone marker already exists (409) is answered duplicate and the rest resubmitted.
/// </summary>
public sealed class BatchedCommitter(
    SessionStore store,
    CodeDirectory codes,
    TimeProvider clock,
    IOptions<ReservationOptions> options,
    CommitMetrics metrics,
    OutboxDispatcher dispatcher,
    Queries.SessionCounterCache counters,
    ILogger<BatchedCommitter> logger) : IReservationCommitter
{
    /// <summary>Drafts taken per round: refusals cost no rows, so take enough to fill a transaction with them too.</summary>
    public const int MaxDraftsPerRound = TableLimits.MaxOperationsPerTransaction;

    /// <summary>Reservations one transaction holds at most (a head row and the outbox row, then each reservation's own row).</summary>
    public const int MaxAdmittedPerRound = TableLimits.MaxOperationsPerTransaction - 2;

    /// <summary>How often a round looks again, at most, while another instance books the allotment it would take from.</summary>
    public const int MaxBusyWaits = 3;

    /// <summary>A wait before looking again at a busy allotment: about one of the other instance's rounds, jittered.</summary>
    public static TimeSpan BusyWait() => TimeSpan.FromMilliseconds(Random.Shared.Next(50, 150));

    private readonly ConcurrentDictionary<string, SessionBatchQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>Sessions with a queue right now (idle sessions have none).</summary>
    public int ActiveSessions => _queues.Count;

    public Task<Result<CommittedReservation>> CommitAsync(ReservationDraft draft, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingDraft(draft, cancellationToken);
        while (true)
        {
            var queue = _queues.GetOrAdd(draft.SessionId, static (id, codes) => new SessionBatchQueue(id, new CodeReserve(codes, id)), codes);
            if (queue.TryEnqueue(pending, out var leader))
            {
                if (leader)
                {
                    // The drain belongs to no caller: one caller giving up must not stop the others' batch.
                    _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
                }

                break;
            }

            // That queue drained and retired between our lookup and our enqueue: drop it, take a fresh one.
            _queues.TryRemove(new KeyValuePair<string, SessionBatchQueue>(draft.SessionId, queue));
        }

        return pending.Outcome.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync(SessionBatchQueue queue)
    {
        // The drain belongs to no request: each round's span names the requests it carries itself.
        Activity.Current = null;
        while (true)
        {
            var batch = queue.TakeBatch(MaxDraftsPerRound);
            if (batch.Count == 0)
            {
                _queues.TryRemove(new KeyValuePair<string, SessionBatchQueue>(queue.SessionId, queue));
                await ReleaseCodesAsync(queue);
                return;
            }

            await CommitBatchAsync(queue, batch);
        }
    }

    private async Task CommitBatchAsync(SessionBatchQueue queue, IReadOnlyList<PendingDraft> batch)
    {
        var live = new List<PendingDraft>(batch.Count);
        foreach (var pending in batch)
        {
            metrics.Stage("batch.queue-wait", pending.EnqueuedAt);
            if (pending.CallerToken.IsCancellationRequested)
            {
                pending.Cancel();
            }
            else
            {
                live.Add(pending);
            }
        }

        // One span per round, in the trace of the round's first request and linked to the others',
        // so that its SMS (dispatched within it) continue the first booking's trace.
        using var round = live.Count == 0 ? null : FestivalTelemetry.Source.StartActivity(
            "commit round", ActivityKind.Internal, live[0].TraceContext,
            [new("session.id", queue.SessionId), new("festival.commit.drafts", live.Count), new("festival.commit.mode", nameof(CommitMode.Batched))],
            live.Skip(1).Where(p => p.TraceContext != default).Select(p => new ActivityLink(p.TraceContext)));
        try
        {
            await CommitAsync(queue, live);
        }
        catch (Exception e)
        {
            // Storage down, or a bug: every caller of this round still waiting hears it (drafts put
            // back for the next round are not in this list); the queue goes on.
            logger.LogWarning(e, "A batch of {Count} for {SessionId} failed", live.Count, queue.SessionId);
            round?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            live.ForEach(p => p.Fail(e));
        }
    }

    /// <summary>Commits what it can of <paramref name="live"/>, answering each; it keeps the list to the drafts still unanswered.</summary>
    private async Task CommitAsync(SessionBatchQueue queue, List<PendingDraft> live)
    {
        var maxAttempts = Math.Max(1, options.Value.MaxCommitAttempts);
        var started = Stopwatch.GetTimestamp();
        var conflicts = 0;
        var snapshot = queue.LastWritten;
        var fromCache = snapshot is not null;
        var busyWaits = 0;
        queue.LastWritten = null;
        while (live.Count > 0)
        {
            if (snapshot is null)
            {
                // The round's codes are claimed while the session is read, not after: the time
                // between reading an allotment and writing it is when another instance can take it too.
                queue.Codes.Prefetch(Math.Min(live.Count, MaxAdmittedPerRound));
                var reading = Stopwatch.GetTimestamp();
                snapshot = await store.ReadWithAllotmentsAsync(queue.SessionId, CancellationToken.None);
                metrics.Stage("batch.read", reading);
                fromCache = false;
                if (snapshot is not null && queue.ChooseAllotment(snapshot) && busyWaits < MaxBusyWaits)
                {
                    // Every allotment with seats is being booked by another instance right now: let
                    // it go on a moment and look again (an allotment that stopped moving is free to
                    // take from, or sold out), rather than write over its next round and meet a 412.
                    busyWaits++;
                    var waiting = Stopwatch.GetTimestamp();
                    await Task.Delay(BusyWait(), CancellationToken.None);
                    metrics.Stage("batch.busy-wait", waiting);
                    snapshot = null;
                    continue;
                }
            }

            if (snapshot is null)
            {
                live.ForEach(p => p.Answer(DomainError.NotFound("session")));
                live.Clear();
                return;
            }

            var candidates = await queue.Codes.CandidatesAsync(live.Count);
            var plan = BatchPlan.Build(snapshot, live, candidates, clock.GetUtcNow(), options.Value, queue.AllotmentOrder());
            if (fromCache && plan.AllotmentsWritten.Any(i => !queue.FreshAllotments.Contains(i)))
            {
                // The round would write an allotment this instance knows only from an older read:
                // another instance has likely taken from it since, so read first rather than meet a 412.
                snapshot = null;
                fromCache = false;
                continue;
            }
            foreach (var (pending, error) in plan.Refused)
            {
                pending.Answer(error);
            }

            queue.ReturnToFront(plan.Deferred);
            live.Clear();
            live.AddRange(plan.AdmittedDrafts.Select(a => a.Draft));
            if (live.Count == 0)
            {
                return;
            }

            var claiming = Stopwatch.GetTimestamp();
            var claimed = await queue.Codes.TryClaimAsync(plan.Codes, CancellationToken.None);
            metrics.Stage("batch.code-claim", claiming);
            if (!claimed)
            {
                // One of the round's new codes is someone's already: same counter, new codes.
                continue;
            }

            if (plan.Next.Remaining > 0)
            {
                queue.Codes.Prefetch(Math.Min(Math.Min(queue.Waiting, MaxAdmittedPerRound), plan.Next.Remaining));
            }

            var submitting = Stopwatch.GetTimestamp();
            var operations = SessionTransactions.Operations(plan.Loaded.Session.Steps);
            try
            {
                queue.LastWritten = await store.SaveAsync(plan.Loaded, CancellationToken.None);
                queue.FreshAllotments = plan.AllotmentsWritten;
                if (queue.LastWritten is { } written)
                {
                    queue.StayOnAnAllotmentWithSeats(written, plan.AllotmentsWritten);
                }

                metrics.Stage("batch.submit", submitting);
            }
            catch (SessionConflictException e) when (e.Kind == SessionConflictKind.Changed)
            {
                // Another instance wrote the counter since we read it: read, decide and write again.
                var stage = $"{HeadKind(plan)}.{(fromCache ? "cached" : "read")}";
                metrics.Conflict(stage);
                metrics.Stage($"conflict.{stage}", submitting);
                queue.Codes.Return(plan.Codes);
                queue.MoveToAnotherAllotment();
                if (++conflicts >= maxAttempts)
                {
                    logger.LogWarning("Gave up on a batch of {Count} for {SessionId} after {Attempts} conflicts",
                        live.Count, queue.SessionId, conflicts);
                    live.ForEach(p => p.Fail(new CommitContentionException(queue.SessionId, conflicts)));
                    live.Clear();
                    return;
                }

                snapshot = null;
                await ConflictBackoff.WaitAsync(conflicts, CancellationToken.None);
                continue;
            }
            catch (SessionConflictException e) when (e.Kind == SessionConflictKind.RowExists)
            {
                // A row already exists: a phone marker from an earlier commit. The transaction rolled
                // back, so the counter and its ETag are as read; answer the owner and go again without it.
                queue.Codes.Return(plan.Codes);
                await RemoveDuplicatesAsync(queue.SessionId, plan, e, live);
                continue;
            }
            catch (SessionConflictException e) when (e.InnerException is { } storage)
            {
                // A row that should be there is not (404): storage's own answer reaches the round's callers.
                queue.Codes.Return(plan.Codes);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(storage);
            }

            metrics.Committed(plan.AdmittedDrafts.Count, operations, CommitMode.Batched, Stopwatch.GetElapsedTime(started));
            Activity.Current?.SetTag("festival.commit.batch_size", plan.AdmittedDrafts.Count);
            counters.Committed(queue.SessionId, plan.AdmittedDrafts.Select(a => a.Committed.Reservation).ToList());
            if (plan.AllotmentMoves > 0)
            {
                metrics.AllotmentMoved(plan.AllotmentMoves);
            }

            foreach (var admitted in plan.AdmittedDrafts)
            {
                admitted.Draft.Answer(admitted.Committed with { Dispatching = true });
            }

            // The SMS of the whole transaction go out together, off the callers' path: their outbox
            // rows are committed, so a crash before they are on the queue leaves them for the sweep.
            var outbox = plan.Loaded.Outbox;
            _ = Task.Run(() => DispatchAsync(queue.SessionId, outbox), CancellationToken.None);

            // Which phone's row holds each code, for look-ups by code alone (staff, SMS); a round
            // whose holders are never recorded is still found, by a query of its session.
            var holders = plan.AdmittedDrafts.Select(a => (a.Code, a.Draft.Draft.PhoneHash)).ToList();
            _ = Task.Run(() => RecordHoldersAsync(queue.SessionId, holders), CancellationToken.None);

            live.Clear();
            return;
        }
    }

    /// <summary>Which head rows a round wrote: the counter alone, one or more allotments alone, or both (seats moved).</summary>
    private static string HeadKind(BatchPlan plan)
    {
        var counter = plan.Loaded.Session.Steps.Any(s => s.ChangesCounter) || plan.AllotmentsWritten.Count == 0;
        return (counter, plan.AllotmentsWritten.Count) switch
        {
            (true, 0) => "counter",
            (true, _) => "counter+allotments",
            (false, 1) => "allotment",
            _ => "allotments",
        };
    }

    private async Task RecordHoldersAsync(string sessionId, IReadOnlyList<(ReservationCode Code, string PhoneHash)> holders)
    {
        try
        {
            await codes.RecordHoldersAsync(holders, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the holders of {Count} codes of {SessionId}", holders.Count, sessionId);
        }
    }

    private async Task ReleaseCodesAsync(SessionBatchQueue queue)
    {
        try
        {
            await queue.Codes.ReleaseAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not release the unused codes of {SessionId}", queue.SessionId);
        }
    }

    private async Task DispatchAsync(string sessionId, IReadOnlyList<OutboxRow> outbox)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await dispatcher.DispatchAsync(outbox, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Dispatching {Count} SMS of {SessionId} failed; the sweep will send them", outbox.Sum(r => r.Messages.Count), sessionId);
        }

        metrics.Stage("batch.dispatch", started);
    }

    private async Task RemoveDuplicatesAsync(string sessionId, BatchPlan plan, SessionConflictException conflict, List<PendingDraft> live)
    {
        if (plan.OwnerOf(conflict.FailedStep) is { } owner && conflict.FailedEvent is PhoneMarkerAdded)
        {
            owner.Draft.Answer(OnePhoneRule.Duplicate());
            live.Remove(owner.Draft);
            return;
        }

        // The store did not say which row failed: look the batch's markers up instead.
        var taken = await store.FindPhoneMarkersAsync(sessionId, live.Select(p => p.Draft.PhoneHash).ToList(), CancellationToken.None);
        if (taken.Count == 0)
        {
            throw new InvalidOperationException($"A transaction for {sessionId} conflicted on a row that is not a phone marker.", conflict);
        }

        foreach (var pending in live.Where(p => taken.Contains(p.Draft.PhoneHash)))
        {
            pending.Answer(OnePhoneRule.Duplicate());
        }

        live.RemoveAll(p => taken.Contains(p.Draft.PhoneHash));
    }
}
