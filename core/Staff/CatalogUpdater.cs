using System.Text.Json;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// PUT /api/staff/catalog: replaces the served catalog with a new document of the same festival.
/// It adds programs and sessions and updates them, but never deletes one and never shrinks a
/// session below the seats already taken: such a document is refused whole, before anything is
/// written. New sessions get new counters; an existing session's counter takes a capacity the
/// document changed (compared with the catalog served until now, so a capacity staff set with
/// PATCH survives a re-upload of an unchanged catalog), and its end and booking opening time.
/// Capacities are set first, each checked inside its own session's transaction so a booking that
/// races the upload cannot be shrunk under; one refusal puts the others back and saves nothing.
/// </summary>
public sealed class CatalogUpdater(
    CatalogService catalog,
    CatalogStore store,
    SessionStore sessions,
    SessionChanges changes,
    SessionCounterCache counters,
    ILogger<CatalogUpdater> logger,
    TimeProvider? clock = null)
{
    public async Task<Result<CatalogUpdateView>> ReplaceAsync(CatalogDocument document, CancellationToken cancellationToken)
    {
        var read = CatalogReader.Read(document);
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var next = read.Value;
        var current = await catalog.GetAsync(cancellationToken);
        if (next.FestivalId != current.FestivalId)
        {
            return DomainError.Validation("festivalId", $"This app serves {current.FestivalId}; the catalog is for {next.FestivalId}.");
        }

        // Nothing may disappear: a removed session that holds people is a shrink below its seats (409),
        // an empty one or a removed program is refused as invalid (400).
        var removedPrograms = current.Programs.Where(p => next.FindProgram(p.ProgramId) is null).Select(p => p.ProgramId).ToList();
        var removedSessions = current.Sessions.Where(s => next.FindSession(s.SessionId) is null).Select(s => s.SessionId).Order(StringComparer.Ordinal).ToList();
        foreach (var sessionId in removedSessions)
        {
            if (await sessions.GetStateAsync(sessionId, cancellationToken) is { } state && (state.Reserved > 0 || state.Waitlisted > 0))
            {
                return CapacityRule.BelowReserved(sessionId, 0, state.Reserved);
            }
        }

        if (removedPrograms.Count > 0 || removedSessions.Count > 0)
        {
            return DomainError.Validation("programs",
                $"A catalog upload never deletes: keep every program and session ({string.Join(", ", removedPrograms.Concat(removedSessions).Take(10))} missing).");
        }

        // Every capacity change is checked against its counter before anything is written (the
        // common refusal, at no cost), then set and checked again inside its own session's
        // transaction (shrinks before raises), where a booking racing the upload is seen; a refusal
        // there puts back those already set, so a refused upload leaves no session changed.
        var existing = next.Sessions.Where(s => current.FindSession(s.SessionId) is not null).ToList();
        var capacityChanges = existing
            .Where(s => current.FindSession(s.SessionId)!.Capacity != s.Capacity)
            .OrderBy(s => s.Capacity - current.FindSession(s.SessionId)!.Capacity).ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .ToList();
        foreach (var session in capacityChanges)
        {
            if (await sessions.GetStateAsync(session.SessionId, cancellationToken) is { } state
                && CapacityRule.Check(state, session.Capacity) is { } below)
            {
                return below;
            }
        }

        // A lottery's window (or a session's allocation) changes only until its entries open.
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        foreach (var session in existing.Where(s => current.FindSession(s.SessionId)!.Lottery != s.Lottery))
        {
            if (await sessions.GetStateAsync(session.SessionId, cancellationToken) is { } state
                && Lotteries.LotteryRules.ChangeProblem(state, session.Lottery, now) is { } problem)
            {
                return DomainError.Validation("programs", problem);
            }
        }

        var applied = new List<(string SessionId, int Previous, int Set)>();
        foreach (var session in capacityChanges)
        {
            var previous = 0;
            var set = await changes.RunAsync<bool>(session.SessionId, SessionLoad.MovingSeats, (s, _) =>
            {
                previous = s.State.Capacity;
                return s.SetCapacity(session.Capacity) is { } below ? below : s.HasChanges;
            }, cancellationToken);
            if (!set.IsSuccess)
            {
                await PutBackAsync(applied, cancellationToken);
                return set.Error;
            }

            if (set.Value)
            {
                applied.Add((session.SessionId, previous, session.Capacity));
            }
        }

        var sessionsAdded = 0;
        foreach (var session in next.Sessions.Where(s => current.FindSession(s.SessionId) is null))
        {
            if (await sessions.TryCreateAsync(CatalogSeeder.NewCounter(session), cancellationToken))
            {
                sessionsAdded++;
            }
        }

        var sessionsUpdated = 0;
        foreach (var session in existing)
        {
            var rescheduled = await RescheduleAsync(session, next.SkipsAhead(session.SessionId), cancellationToken);
            if (rescheduled || applied.Any(a => a.SessionId == session.SessionId))
            {
                sessionsUpdated++;
                counters.Forget(session.SessionId);
            }
        }

        var programsAdded = 0;
        var programsUpdated = 0;
        var stored = current.Document.Programs.ToDictionary(p => p.ProgramId);
        foreach (var program in document.Programs)
        {
            if (!stored.TryGetValue(program.ProgramId, out var before))
            {
                programsAdded++;
            }
            else if (JsonSerializer.Serialize(before, JsonPolicies.Contract) != JsonSerializer.Serialize(program, JsonPolicies.Contract))
            {
                programsUpdated++;
            }
            else
            {
                continue;
            }

            await store.SaveProgramAsync(next.FestivalId, program, cancellationToken);
        }

        await store.SaveFestivalAsync(document, cancellationToken);
        catalog.Invalidate();
        logger.LogInformation(
            "Catalog {FestivalId} updated: {ProgramsAdded} programs added, {ProgramsUpdated} updated, {SessionsAdded} sessions added, {SessionsUpdated} updated",
            next.FestivalId, programsAdded, programsUpdated, sessionsAdded, sessionsUpdated);
        return new CatalogUpdateView(programsAdded, programsUpdated, sessionsAdded, sessionsUpdated);
    }

    /// <summary>
    /// Takes the session's new end and booking opening time, and gives seats a raised capacity freed
    /// to its waitlist; false when the counter's times were already these.
    /// </summary>
    private async Task<bool> RescheduleAsync(SessionDefinition session, bool skipAhead, CancellationToken cancellationToken)
    {
        var result = await changes.RunAsync<bool>(session.SessionId, new SessionLoad { Waitlist = true, Allotments = true }, (s, now) =>
        {
            var moved = s.State.End != session.End || s.State.BookingOpensAt != session.BookingOpensAt;
            if (moved)
            {
                s.Reschedule(session.End, session.BookingOpensAt);
            }

            if (s.State.Lottery?.Window != session.Lottery)
            {
                // Checked before anything was written; a refusal here (entries opened meanwhile) leaves the window as it was.
                moved |= s.SetLottery(session.Lottery, now) is null;
            }

            s.PromoteWaitlist(skipAhead, now);
            return moved;
        }, cancellationToken, rest: (s, now) => s.PromoteWaitlist(skipAhead, now));
        return result.IsSuccess && result.Value;
    }

    /// <summary>A refused upload: capacities this upload already set go back to what they were (unless someone changed them since).</summary>
    private async Task PutBackAsync(List<(string SessionId, int Previous, int Set)> applied, CancellationToken cancellationToken)
    {
        foreach (var (sessionId, previous, set) in Enumerable.Reverse(applied))
        {
            var restored = await changes.RunAsync<bool>(sessionId, SessionLoad.MovingSeats, (s, _) =>
                s.State.Capacity != set ? false : s.SetCapacity(previous) is { } below ? below : true, CancellationToken.None);
            if (!restored.IsSuccess)
            {
                logger.LogWarning("Could not put back capacity {Capacity} of {SessionId} after a refused catalog upload: {Error}",
                    previous, sessionId, restored.Error.Code);
            }

            counters.Forget(sessionId);
        }
    }
}
