using System.Diagnostics;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Telemetry;
using FestivalReservations.Core.Tickets;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// A visitor books places in a session: validated, refused at once if the session was just seen
/// full (<see cref="SeatRule.SeenFull"/>: after a sell-out most of a rush, at no storage call), held
/// on the phone's day (the daily cap and the overlap rule, <see cref="PhoneDayHolds"/>), then
/// committed by the configured commit mode; a refusal gives the day's hold back.
/// </summary>
public sealed class ReserveSeats(
    CatalogService catalog,
    IReservationCommitter committer,
    PhoneHasher phoneHasher,
    OutboxDispatcher dispatcher,
    PhoneDayHolds phoneDays,
    TimeProvider clock,
    ILogger<ReserveSeats> logger,
    TicketSigner tickets,
    Queries.SessionCounterCache counters,
    CommitMetrics? metrics = null,
    FestivalTelemetry? telemetry = null)
{
    /// <summary>Books, and counts the request by its outcome (festival.reservations: the status, or the refusal's code).</summary>
    public async Task<Result<ReservationView>> ReserveAsync(string sessionId, ReservationRequest request, CancellationToken cancellationToken)
    {
        var result = await BookAsync(sessionId, request, cancellationToken);
        telemetry?.Reservation(result.IsSuccess ? result.Value.Status : FestivalTelemetry.OutcomeOf(result.Error.Code));
        return result;
    }

    private async Task<Result<ReservationView>> BookAsync(string sessionId, ReservationRequest request, CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(sessionId) is not { } session || festival.FindProgram(session.ProgramId) is not { } program)
        {
            return DomainError.NotFound("session");
        }

        var validated = Validate(request, program);
        if (!validated.IsSuccess)
        {
            return validated.Error;
        }

        var (name, mobile) = validated.Value;
        var draft = new ReservationDraft(
            new Reservation
            {
                Code = "", // given by the committer on admission
                SessionId = sessionId,
                ProgramId = program.ProgramId,
                Name = name,
                Phone = mobile.E164,
                PartySize = request.PartySize!.Value,
                Language = request.Language ?? Languages.Default,
                Status = ReservationStatus.Confirmed,
                CreatedAt = clock.GetUtcNow(),
            },
            phoneHasher.Hash(mobile.E164),
            request.JoinWaitlist ?? false,
            program.WaitlistSkipAhead);

        var started = Stopwatch.GetTimestamp();
        var seen = await SeenAsync(sessionId, cancellationToken);
        metrics?.Stage("request.seen", started);
        if (seen is not null && SeatRule.SeenFull(seen, draft.Reservation.PartySize, draft.JoinWaitlist, draft.SkipAhead, clock.GetUtcNow()) is { } full)
        {
            return full;
        }

        started = Stopwatch.GetTimestamp();
        var held = await phoneDays.HoldAsync(draft.PhoneHash, session, cancellationToken);
        metrics?.Stage("request.phone-day", started);
        if (!held.IsSuccess)
        {
            telemetry?.Refused(RateLimit.PhoneDay);
            return held.Error;
        }

        started = Stopwatch.GetTimestamp();
        // A commit that throws may have committed (a lost reply): its hold stays, and is checked
        // against the session the next time it stands in this phone's way (PhoneDayHolds.Grace).
        var committed = await committer.CommitAsync(draft, cancellationToken);

        metrics?.Stage("request.commit", started);
        if (!committed.IsSuccess)
        {
            await GiveBackAsync(held.Value);
            return InFestivalTime(committed.Error, festival);
        }

        var (reservation, _, position) = committed.Value;
        logger.LogInformation("Reservation {Code} {Status} for {Seats} seats in {SessionId}",
            ReservationCode.Display(reservation.Code), reservation.Status, reservation.PartySize, sessionId);
        if (!committed.Value.Dispatching)
        {
            started = Stopwatch.GetTimestamp();
            await dispatcher.DispatchAsync(committed.Value.Outbox, cancellationToken);
            metrics?.Stage("request.dispatch", started);
        }

        return reservation.ToView(festival, position, tickets);
    }

    /// <summary>The session as last seen, to refuse early if full; a failed read refuses nothing (the commit reads again).</summary>
    private async Task<SessionState?> SeenAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            return await counters.GetAsync(sessionId, cancellationToken);
        }
        catch (Exception e) when (Storage.StorageFailure.IsTransient(e, cancellationToken))
        {
            logger.LogWarning("Could not read {SessionId} before booking ({Reason}); the commit decides", sessionId, e.GetType().Name);
            return null;
        }
    }

    /// <summary>A refused booking's hold goes back; if that fails, the hold is doubted after its grace and dropped.</summary>
    private async Task GiveBackAsync(PhoneHoldTicket ticket)
    {
        try
        {
            await phoneDays.ReleaseAsync(ticket, CancellationToken.None);
        }
        catch (Exception e) when (Storage.StorageFailure.IsTransient(e))
        {
            logger.LogWarning(e, "Could not give back a phone's hold on {SessionId}; it lapses after {Grace}", ticket.SessionId, PhoneDayHolds.Grace);
        }
    }

    /// <summary>
    /// Instants in a refusal (bookingOpensAt) are written festival-local with their offset, like every
    /// festival time: counters come back from Table Storage in UTC.
    /// </summary>
    internal static DomainError InFestivalTime(DomainError error, Festival festival) =>
        error.Extensions is { } extensions && extensions.Values.Any(v => v is DateTimeOffset)
            ? error with
            {
                Extensions = extensions.ToDictionary(e => e.Key, e => e.Value is DateTimeOffset t ? festival.Time.Format(t) : e.Value),
            }
            : error;

    private static Result<(string Name, KoreanMobile Mobile)> Validate(ReservationRequest request, FestivalProgram program)
    {
        var errors = new Dictionary<string, string[]>();
        if (VisitorRequestRules.NameProblem(request.Name) is { } name)
        {
            errors["name"] = [name];
        }

        if (VisitorRequestRules.PartySizeProblem(request.PartySize, program.MaxPartySize) is { } party)
        {
            errors["partySize"] = [party];
        }

        if (VisitorRequestRules.LanguageProblem(request.Language) is { } language)
        {
            errors["language"] = [language];
        }

        var phone = VisitorRequestRules.PhoneProblem(request.Phone, out var mobile);
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in phone?.Errors ?? new Dictionary<string, string[]>())
            {
                errors[field] = messages;
            }

            return DomainError.Validation(errors);
        }

        return phone is not null ? phone : (request.Name!.Trim(), mobile);
    }
}
