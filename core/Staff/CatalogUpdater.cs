using System.Text.Json;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
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
/// </summary>
public sealed class CatalogUpdater(
    CatalogService catalog,
    CatalogStore store,
    SessionStore sessions,
    SessionChanges changes,
    SessionCounterCache counters,
    ILogger<CatalogUpdater> logger)
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
                return StaffService.BelowReserved(sessionId, 0, state.Reserved);
            }
        }

        if (removedPrograms.Count > 0 || removedSessions.Count > 0)
        {
            return DomainError.Validation("programs",
                $"A catalog upload never deletes: keep every program and session ({string.Join(", ", removedPrograms.Concat(removedSessions).Take(10))} missing).");
        }

        // Every capacity change is checked against its counter before anything is written.
        var existing = next.Sessions.Where(s => current.FindSession(s.SessionId) is not null).ToList();
        var capacityChanges = existing
            .Where(s => current.FindSession(s.SessionId)!.Capacity != s.Capacity)
            .ToDictionary(s => s.SessionId, s => s.Capacity);
        foreach (var (sessionId, capacity) in capacityChanges)
        {
            if (await sessions.GetStateAsync(sessionId, cancellationToken) is { } state && capacity < state.Reserved)
            {
                return StaffService.BelowReserved(sessionId, capacity, state.Reserved);
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
            var updated = await UpdateCounterAsync(session, capacityChanges.GetValueOrDefault(session.SessionId),
                next.FindProgram(session.ProgramId)!.WaitlistSkipAhead, cancellationToken);
            if (!updated.IsSuccess)
            {
                // Someone booked seats between the check and this write: the catalog is not saved.
                return updated.Error;
            }

            sessionsUpdated += updated.Value ? 1 : 0;
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
            else if (JsonSerializer.Serialize(before, CatalogReader.Json) != JsonSerializer.Serialize(program, CatalogReader.Json))
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

    /// <summary>Brings an existing session's counter in line with its new definition; false when nothing changed.</summary>
    private async Task<Result<bool>> UpdateCounterAsync(SessionDefinition session, int newCapacity, bool skipAhead, CancellationToken cancellationToken)
    {
        var changed = false;
        var result = await changes.RunAsync<SessionState>(session.SessionId, async (snapshot, now) =>
        {
            var state = snapshot.State;
            var capacity = newCapacity > 0 ? newCapacity : state.Capacity;
            if (capacity < state.Reserved)
            {
                return StaffService.BelowReserved(session.SessionId, capacity, state.Reserved);
            }

            var next = state with { Capacity = capacity, End = session.End, BookingOpensAt = session.BookingOpensAt };
            changed = next != state;
            var rows = new List<Azure.Data.Tables.TableTransactionAction>();
            var messages = new List<Notifications.OutboxMessage>();
            next = await changes.PromoteIntoAsync(next, rows, messages, skipAhead, now, null, cancellationToken);
            return new SessionChange<SessionState>(next, rows, messages, next);
        }, cancellationToken);

        if (!result.IsSuccess)
        {
            return result.Error;
        }

        if (changed)
        {
            await changes.PromoteRemainingAsync(result.Value, skipAhead, cancellationToken);
            counters.Forget(session.SessionId);
        }

        return changed;
    }
}
