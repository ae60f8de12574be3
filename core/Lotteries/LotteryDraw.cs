using System.Collections.Concurrent;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Lotteries;

/// <summary>
/// Draws a lottery session (<see cref="Session.Draw"/>) exactly once, however many instances, timers
/// and staff ask, and finishes a draw that stopped halfway. The draw is written as session
/// transactions of whole steps (at most 100 rows each, every one with the counter and its draw
/// cursor), each guarded by the counter's ETag, so two drawers can never both write the same part:
/// the one that loses a transaction waits until the counter has stopped moving (the other drawer
/// finished, or died) and then reloads and continues from the cursor. The order being a pure
/// function of the seed and the codes, the end is the same whoever writes which part.
/// </summary>
public sealed class LotteryDraw(
    CatalogService catalog,
    SessionStore store,
    PhoneHasher phoneHasher,
    OutboxDispatcher dispatcher,
    SessionCounterCache counters,
    TimeProvider clock,
    ILogger<LotteryDraw> logger)
{
    /// <summary>A counter that has not moved for this long has no live drawer behind it.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many times a drawer reloads after losing a transaction to another, before it leaves the draw to them.</summary>
    public const int MaxRounds = 20;

    private readonly ConcurrentDictionary<string, DrawView> _published = new(StringComparer.Ordinal);

    /// <summary>POST /api/staff/sessions/{id}/draw (<paramref name="byStaff"/>: once entries closed) and the timer (at the draw time).</summary>
    public async Task<Result<DrawResultView>> DrawAsync(string sessionId, bool byStaff, CancellationToken cancellationToken)
    {
        if ((await catalog.GetAsync(cancellationToken)).FindSession(sessionId) is null)
        {
            return DomainError.NotFound("lottery session");
        }

        var contended = false;
        for (var round = 1; ; round++)
        {
            if (await store.ReadCounterAsync(sessionId, cancellationToken) is not { State.Lottery: { } lottery } snapshot)
            {
                return DomainError.NotFound("lottery session");
            }

            if (lottery.IsDrawn)
            {
                return ResultOf(snapshot.State);
            }

            if (LotteryRules.Due(lottery, clock.GetUtcNow(), byStaff) is { } early)
            {
                return ReserveSeats.InFestivalTime(early, await catalog.GetAsync(cancellationToken));
            }

            if (contended)
            {
                if (round > MaxRounds)
                {
                    throw new CommitContentionException(sessionId, round);
                }

                if (await WaitForQuietAsync(snapshot, cancellationToken) is { Lottery.IsDrawn: true } done)
                {
                    return ResultOf(done);
                }
            }

            var loaded = await store.LoadAsync(sessionId, new SessionLoad { AllReservations = true, Waitlist = true, Allotments = true }, cancellationToken);
            if (loaded is null)
            {
                return DomainError.NotFound("lottery session");
            }

            var answered = loaded.Session.Draw(phoneHasher.Hash, clock.GetUtcNow());
            if (!loaded.Session.HasChanges)
            {
                continue;
            }

            logger.LogInformation("Drawing {SessionId}: {Entries} entries to answer from cursor {Cursor}", sessionId, answered, lottery.Drawn);
            try
            {
                await store.SaveAsync(loaded, cancellationToken);
                logger.LogInformation("Drew {SessionId}: {Won} seated, {Waitlisted} waitlisted of {Entries} entries",
                    sessionId, loaded.Session.State.Lottery!.Won, loaded.Session.State.Lottery.WaitlistedByDraw, loaded.Session.State.Lottery.Entries);
                return ResultOf(loaded.Session.State);
            }
            catch (SessionConflictException e)
            {
                // Another drawer wrote first: what it wrote stands, and so does what we wrote before it.
                logger.LogInformation("Draw of {SessionId} met another drawer after {Steps} steps; waiting for it", sessionId, e.CommittedSteps);
                contended = true;
            }
            finally
            {
                counters.Forget(sessionId);
                await DispatchAsync(loaded.Outbox);
            }
        }
    }

    /// <summary>The timer: every lottery of the catalog whose draw time has come and whose session has not started, drawn unless it is.</summary>
    public async Task<int> DrawDueAsync(CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var drawn = 0;
        foreach (var session in festival.Sessions.Where(s => s.Lottery is { } l && l.DrawAt <= now && now < s.Start).OrderBy(s => s.Lottery!.DrawAt))
        {
            try
            {
                if (await store.ReadCounterAsync(session.SessionId, cancellationToken) is { State.TakesEntries: true }
                    && (await DrawAsync(session.SessionId, byStaff: false, cancellationToken)).IsSuccess)
                {
                    drawn++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The draw of {SessionId} did not finish; the next run goes on from its cursor", session.SessionId);
            }
        }

        return drawn;
    }

    /// <summary>GET /api/sessions/{id}/draw: the revealed seed and the order as hashes of the codes, once drawn.</summary>
    public async Task<Result<DrawView>> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_published.TryGetValue(sessionId, out var known))
        {
            return known;
        }

        if ((await catalog.GetAsync(cancellationToken)).FindSession(sessionId) is null)
        {
            return DomainError.NotFound("lottery session");
        }

        if (await store.ReadCounterAsync(sessionId, cancellationToken) is not { State.Lottery: { } lottery })
        {
            return DomainError.NotFound("lottery session");
        }

        if (!lottery.IsDrawn)
        {
            return ReserveSeats.InFestivalTime(new DomainError(ErrorCode.DrawNotDue, "This lottery has not been drawn yet: its seed is revealed by the draw.")
            {
                Extensions = new Dictionary<string, object?> { ["drawAt"] = lottery.Window.DrawAt },
            }, await catalog.GetAsync(cancellationToken));
        }

        var order = (await store.ListReservationsAsync(sessionId, cancellationToken))
            .Where(r => r.DrawRank is not null)
            .OrderBy(r => r.DrawRank)
            .Select(r => LotterySeed.CodeHash(ReservationCode.Display(r.Code)))
            .ToList();
        var view = new DrawView(lottery.Seed, lottery.SeedHash, order);
        _published[sessionId] = view;
        return view;
    }

    private static DrawResultView ResultOf(SessionState state) =>
        new(state.SessionId, state.Lottery!.Seed, state.Lottery.SeedHash, state.Lottery.Entries, state.Lottery.Won, state.Lottery.WaitlistedByDraw);

    /// <summary>Polls the counter until the draw is done or the counter has not changed for <see cref="QuietPeriod"/>.</summary>
    private async Task<SessionState?> WaitForQuietAsync(SessionSnapshot seen, CancellationToken cancellationToken)
    {
        var etag = seen.ETag;
        var quietSince = clock.GetTimestamp();
        while (true)
        {
            await Task.Delay(PollInterval, cancellationToken);
            if (await store.ReadCounterAsync(seen.State.SessionId, cancellationToken) is not { } now)
            {
                return null;
            }

            if (now.State.Lottery is { IsDrawn: true })
            {
                return now.State;
            }

            if (now.ETag != etag)
            {
                etag = now.ETag;
                quietSince = clock.GetTimestamp();
            }
            else if (clock.GetElapsedTime(quietSince) >= QuietPeriod)
            {
                return now.State;
            }
        }
    }

    /// <summary>The draw's SMS onto the queue, several outbox rows at once; what fails is left for the sweep.</summary>
    private async Task DispatchAsync(IReadOnlyList<OutboxRow> rows)
    {
        try
        {
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (row, ct) => await dispatcher.DispatchAsync(row, ct));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Dispatching the draw's SMS failed; the sweep will send them");
        }
    }
}
