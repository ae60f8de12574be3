using System.Diagnostics;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Privacy;

/// <summary>
/// Erases personal data that is no longer needed (PIPA), driven by what is stored, not by the catalog
/// served now: every session that ended Privacy:RetentionDays ago, of any season, is found through
/// the SessionsByEnd index (<see cref="SessionsByEnd"/>), which names sessions until they are erased,
/// so a run reads what is left to erase, not everything kept. For each session: first every
/// <see cref="IPersonalDataHolder"/> (Codes, SmsLog, and what later features register), then the
/// session's own rows (names, phones, cancel reasons, phone rows, tickets' phone rows, left-over
/// outbox rows); the index entry goes last, so a session that failed midway is taken again by the
/// next run. Then every <see cref="IExpiringPersonalData"/> (stored idempotent answers after 24 h).
/// Counts, statuses and times stay, so staff reports still add up. Each run is recorded in ErasureRuns.
/// </summary>
public sealed class DataRetention(
    SessionStore sessions,
    SessionChanges changes,
    SessionsByEnd index,
    ErasureRunStore runs,
    IEnumerable<IPersonalDataHolder> holders,
    IEnumerable<IExpiringPersonalData> expiring,
    PhoneHasher phoneHasher,
    IOptions<PrivacyOptions> options,
    TimeProvider clock,
    ILogger<DataRetention> logger)
{
    public async Task<ErasureRun> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var cutoff = started - TimeSpan.FromDays(options.Value.RetentionDays);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(ErasedRows erased) => rows[erased.Kind] = rows.GetValueOrDefault(erased.Kind) + erased.Rows;

        var backfilled = 0;
        if (!await index.IsBackfilledAsync(cancellationToken))
        {
            backfilled = await index.BackfillAsync(started, cancellationToken);
            logger.LogInformation("Erasure: entered {Sessions} stored sessions in SessionsByEnd (one-time backfill)", backfilled);
        }

        int erased = 0, failed = 0;
        await foreach (var entry in index.UpToAsync(SessionsByEnd.BucketOf(cutoff), cancellationToken))
        {
            try
            {
                if (await EraseSessionAsync(entry, cutoff, cancellationToken) is { } done)
                {
                    done.ForEach(Count);
                    erased++;
                }
            }
            catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken) || e is CommitContentionException)
            {
                // Its entry stays: the next run takes it again (every step is safe to repeat).
                failed++;
                logger.LogWarning(e, "Erasure of {SessionId} failed; left for the next run", entry.SessionId);
            }
        }

        foreach (var store in expiring)
        {
            Count(await store.EraseExpiredAsync(started, cancellationToken));
        }

        var run = new ErasureRun(Guid.NewGuid().ToString("N"), started, clock.GetUtcNow(), cutoff, erased, failed, backfilled,
            watch.ElapsedMilliseconds, rows);
        await runs.SaveAsync(run, cancellationToken);
        logger.LogInformation(
            "Erasure run {RunId}: {Sessions} sessions erased, {Failed} left for the next run, {Reservations} reservations, {Rows} rows in all, cutoff {Cutoff}",
            run.RunId, erased, failed, run.Erased(ErasureKinds.Reservations), rows.Values.Sum(), cutoff);
        return run;
    }

    /// <summary>One session of the index: erased if it ended before the cutoff (null when it did not, or has no counter).</summary>
    private async Task<List<ErasedRows>?> EraseSessionAsync(SessionEndEntry entry, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        if (await sessions.ReadCounterAsync(entry.SessionId, cancellationToken) is not { } counter)
        {
            // An entry written before a counter that never came: nothing to erase.
            await index.ClearAsync(entry, cancellationToken);
            return null;
        }

        if (counter.State.End > cutoff)
        {
            // Its day is the cutoff's (read again next run), or its end moved later (entered under the new day).
            if (SessionsByEnd.BucketOf(counter.State.End) != entry.Bucket)
            {
                await index.CoverAsync(counter.State, cancellationToken);
                await index.ClearAsync(entry, cancellationToken);
            }

            return null;
        }

        var found = await sessions.PersonalDataOfAsync(entry.SessionId, phoneHasher.Hash, cancellationToken);
        var subject = new SessionErasure(entry.SessionId, counter.State.End, found.Codes, found.PhoneHashes);
        var done = new List<ErasedRows>();
        foreach (var holder in holders)
        {
            done.AddRange(await holder.EraseSessionAsync(subject, cancellationToken));
        }

        done.AddRange(await ErasePartitionAsync(entry.SessionId, cancellationToken));
        await index.ClearAsync(entry, cancellationToken);
        return done;
    }

    private async Task<IReadOnlyList<ErasedRows>> ErasePartitionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var load = new SessionLoad { AllReservations = true, AllPhoneMarkers = true, Waitlist = true };
        var total = new PartitionErasure(0, 0, 0);
        var result = await changes.RunAsync<PartitionErasure>(sessionId, load, (session, now) =>
        {
            total = session.ErasePersonalData(now, phoneHasher.Hash);
            return total;
        }, cancellationToken, rest: (session, now) =>
        {
            var more = session.ErasePersonalData(now, phoneHasher.Hash);
            total = new PartitionErasure(total.Reservations + more.Reservations, total.Markers + more.Markers, total.Tickets + more.Tickets);
        });
        var outbox = await sessions.DeleteOutboxRowsAsync(sessionId, cancellationToken);
        return result.IsSuccess
            ? [new(ErasureKinds.Reservations, total.Reservations), new(ErasureKinds.PhoneRows, total.Markers),
                new(ErasureKinds.WaitlistTickets, total.Tickets), new(ErasureKinds.OutboxRows, outbox)]
            : [new(ErasureKinds.OutboxRows, outbox)];
    }
}
