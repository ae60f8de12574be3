using System.Collections.Concurrent;
using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Staff;

/// <summary>What staff do at the bridge: watch capacity, read attendee lists, check people in, cancel, open and close sessions.</summary>
public sealed class StaffService(
    CatalogService catalog,
    SessionStore sessions,
    SessionChanges changes,
    CodeDirectory codes,
    ReservationService reservations,
    SessionCounterCache counters,
    TimeProvider clock,
    ILogger<StaffService> logger)
{
    public const int MaxReasonLength = 200;
    private const int ReadParallelism = 16;

    /// <summary>Every session of a festival day with its numbers, each read from its counter (one read per session, fresh).</summary>
    public async Task<Result<CapacityView>> GetCapacityAsync(string? date, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(date) || !FestivalTime.TryParseDate(date, out var day))
        {
            return DomainError.Validation("date", "date must be YYYY-MM-DD.");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var wanted = festival.Sessions.Where(s => s.Date == day).ToList();
        var states = new ConcurrentDictionary<string, SessionState>();
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (session, ct) =>
            {
                if (await sessions.GetStateAsync(session.SessionId, ct) is { } state)
                {
                    states[session.SessionId] = state;
                }
            });

        var now = clock.GetUtcNow();
        var views = wanted
            .Where(s => states.ContainsKey(s.SessionId))
            .OrderBy(s => s.Start).ThenBy(s => s.ProgramId, StringComparer.Ordinal)
            .Select(s => ToStaffView(states[s.SessionId], festival, now))
            .ToList();
        var totals = new CapacityTotals(
            views.Sum(v => v.Capacity), views.Sum(v => v.Reserved), views.Sum(v => v.Remaining),
            views.Sum(v => v.Waitlisted), views.Sum(v => v.CheckedIn));
        return new CapacityView(FestivalTime.FormatDate(day), totals, views);
    }

    /// <summary>Every reservation of a session in order of creation, waitlisted ones with their place in line; phones masked.</summary>
    public async Task<Result<IReadOnlyList<ReservationView>>> ListReservationsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is null)
        {
            return DomainError.NotFound("session");
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var ticket in sessions.QueryPrefixAsync(sessionId, SessionRows.WaitlistPrefix, cancellationToken))
        {
            positions[ticket.GetString("Code")] = positions.Count + 1;
        }

        // In order of creation; reservations made in the same instant keep their place in line.
        var list = (await sessions.ListReservationsAsync(sessionId, cancellationToken))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.WaitlistSeq ?? 0).ThenBy(r => r.Code, StringComparer.Ordinal);
        return list.Select(r => r.ToView(festival, positions.TryGetValue(r.Code, out var p) ? p : null)).ToList();
    }

    /// <summary>
    /// Checks a confirmed reservation in: status checked-in with the time, and the session's checked-in
    /// count raised by the party, in one transaction. A second scan is told when the first one was.
    /// </summary>
    public async Task<Result<ReservationView>> CheckInAsync(string code, CancellationToken cancellationToken)
    {
        if (await FindAsync(code, cancellationToken) is not var (sessionId, key))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var result = await changes.RunAsync<Reservation>(sessionId, async (snapshot, now) =>
        {
            if (await sessions.GetReservationAsync(sessionId, key, cancellationToken) is not var (reservation, etag))
            {
                return DomainError.NotFound("reservation");
            }

            if (CheckInRule(reservation) is { } refused)
            {
                return refused;
            }

            var checkedIn = reservation with { Status = ReservationStatus.CheckedIn, CheckedInAt = now };
            var next = snapshot.State with { CheckedIn = snapshot.State.CheckedIn + reservation.PartySize };
            return new SessionChange<Reservation>(next,
                [new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(checkedIn), etag)], [], checkedIn);
        }, cancellationToken);

        if (!result.IsSuccess)
        {
            return result.Error;
        }

        counters.Forget(sessionId);
        logger.LogInformation("Reservation {Code} checked in to {SessionId} with {Seats} people", Display(key), sessionId, result.Value.PartySize);
        return result.Value.ToView(festival, null);
    }

    /// <summary>Only a confirmed reservation can be checked in.</summary>
    public static DomainError? CheckInRule(Reservation reservation) => reservation.Status switch
    {
        ReservationStatus.Confirmed => null,
        ReservationStatus.CheckedIn => new DomainError(ErrorCode.AlreadyCheckedIn, "This reservation has already been checked in.")
        {
            Extensions = new Dictionary<string, object?>
            {
                ["checkedInAt"] = reservation.CheckedInAt is { } at ? FestivalTime.FormatUtc(at) : null,
            },
        },
        ReservationStatus.Cancelled => new DomainError(ErrorCode.AlreadyCancelled, "This reservation was cancelled."),
        ReservationStatus.Waitlisted => new DomainError(ErrorCode.NotConfirmed, "This reservation is on the waitlist, not confirmed.")
        {
            Extensions = new Dictionary<string, object?> { ["reservationStatus"] = ReservationStatus.Waitlisted },
        },
        // A no-show was marked after the session ended; it is not confirmed any more (see README).
        _ => new DomainError(ErrorCode.NotConfirmed, "This reservation was marked as a no-show after the session ended.")
        {
            Extensions = new Dictionary<string, object?> { ["reservationStatus"] = reservation.Status },
        },
    };

    /// <summary>Cancels for the visitor, at any time, with an optional reason; the visitor gets the cancelled SMS and the waitlist the seats.</summary>
    public async Task<Result<ReservationView>> CancelAsync(string code, StaffCancelRequest request, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason is not null && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
        {
            return DomainError.Validation("reason", $"A reason has at most {MaxReasonLength} characters and no control characters.");
        }

        if (await FindAsync(code, cancellationToken) is not var (sessionId, key))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var cancelled = await reservations.CancelInSessionAsync(festival, sessionId, key, byVisitor: false, reason, cancellationToken);
        if (!cancelled.IsSuccess)
        {
            return cancelled.Error;
        }

        counters.Forget(sessionId);
        return cancelled.Value.ToView(festival, null);
    }

    /// <summary>
    /// Sets a session's capacity and/or closes or reopens it. Capacity never goes below the seats
    /// taken; seats it adds go to the waitlist in the same transaction (unless booking is closed).
    /// </summary>
    public async Task<Result<StaffSessionView>> UpdateSessionAsync(string sessionId, SessionUpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Capacity is null && request.Closed is null)
        {
            return DomainError.Validation("body", "Send capacity, closed or both.");
        }

        if (request.Capacity is { } wanted && wanted is < CatalogReader.MinCapacity or > CatalogReader.MaxCapacity)
        {
            return DomainError.Validation("capacity", $"capacity must be between {CatalogReader.MinCapacity} and {CatalogReader.MaxCapacity}.");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is not { } definition)
        {
            return DomainError.NotFound("session");
        }

        var skipAhead = festival.FindProgram(definition.ProgramId)?.WaitlistSkipAhead == true;
        var result = await changes.RunAsync<SessionState>(sessionId, async (snapshot, now) =>
        {
            var state = snapshot.State;
            if (request.Capacity is { } capacity && capacity < state.Reserved)
            {
                return BelowReserved(sessionId, capacity, state.Reserved);
            }

            var next = state with { Capacity = request.Capacity ?? state.Capacity, Closed = request.Closed ?? state.Closed };
            var rows = new List<TableTransactionAction>();
            var messages = new List<OutboxMessage>();
            next = await changes.PromoteIntoAsync(next, rows, messages, skipAhead, now, null, cancellationToken);
            return new SessionChange<SessionState>(next, rows, messages, next);
        }, cancellationToken);

        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var final = await changes.PromoteRemainingAsync(result.Value, skipAhead, cancellationToken);
        counters.Forget(sessionId);
        logger.LogInformation("Session {SessionId} set to capacity {Capacity}, closed {Closed}; {Reserved} reserved, {Waitlisted} waiting",
            sessionId, final.Capacity, final.Closed, final.Reserved, final.Waitlisted);
        return ToStaffView(final, festival, clock.GetUtcNow());
    }

    public static DomainError BelowReserved(string sessionId, int capacity, int reserved) =>
        new(ErrorCode.CapacityBelowReserved,
            $"Session {sessionId} has {reserved} seats taken; its capacity cannot be set to {capacity}.")
        {
            Extensions = new Dictionary<string, object?> { ["sessionId"] = sessionId, ["reserved"] = reserved, ["capacity"] = capacity },
        };

    public static StaffSessionView ToStaffView(SessionState s, Festival festival, DateTimeOffset now)
    {
        var v = s.ToView(festival.Time, now);
        var title = festival.FindProgram(s.ProgramId)?.Title ?? new LocalizedText(s.ProgramId, s.ProgramId);
        return new StaffSessionView(v.SessionId, v.ProgramId, v.Date, v.Start, v.End, v.Capacity, v.Reserved, v.Remaining,
            v.Waitlisted, v.Status, v.BookingOpensAt, v.BookingClosesAt, title, s.CheckedIn, s.WaitlistParties);
    }

    /// <summary>The session holding a code (typed in any accepted form), via the Codes table.</summary>
    private async Task<(string SessionId, string Code)?> FindAsync(string code, CancellationToken cancellationToken) =>
        ReservationCode.TryParse(code, out var parsed) && await codes.FindSessionAsync(parsed, cancellationToken) is { } sessionId
            ? (sessionId, parsed.Value)
            : null;

    private static string Display(string code) => ReservationCode.TryParse(code, out var c) ? c.ToString() : code;
}
