using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Reservations;

/// <summary>What visitors do with reservations: make one, look it up, cancel it. Each call is one use case.</summary>
public sealed class ReservationService(
    CatalogService catalog,
    IReservationCommitter committer,
    SessionStore sessions,
    SessionChanges changes,
    CodeDirectory codes,
    IdempotencyStore idempotency,
    PhoneHasher phoneHasher,
    OutboxDispatcher dispatcher,
    TimeProvider clock,
    ILogger<ReservationService> logger,
    CommitMetrics? metrics = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<ReservationReceipt>> ReserveAsync(
        string sessionId, ReservationRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            var result = await ReserveOnceAsync(sessionId, request, cancellationToken);
            return result.IsSuccess ? new ReservationReceipt(result.Value, false) : result.Error;
        }

        var fingerprint = IdempotencyStore.Fingerprint(JsonSerializer.Serialize(new { sessionId, request }, Json));
        var keyHash = IdempotencyStore.HashKey("reservations", idempotencyKey);
        for (var wait = 0; ; wait++)
        {
            var claim = await idempotency.ClaimAsync(keyHash, fingerprint, cancellationToken);
            switch (claim)
            {
                case IdempotencyClaim.Mismatch:
                    return new DomainError(ErrorCode.IdempotencyKeyReused,
                        "This Idempotency-Key was already used with a different request.");
                case IdempotencyClaim.Replay replay:
                    return StoredOutcome.Read(replay.Response, replayed: true);
                case IdempotencyClaim.InProgress when wait < 50:
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); // real time: waiting for a real request
                    continue;
                case IdempotencyClaim.InProgress:
                    return new DomainError(ErrorCode.StorageUnavailable,
                        "The first request with this Idempotency-Key is still being processed; retry shortly.");
                case IdempotencyClaim.Claimed claimed:
                    Result<ReservationView> outcome;
                    try
                    {
                        outcome = await ReserveOnceAsync(sessionId, request, cancellationToken);
                    }
                    catch
                    {
                        await idempotency.AbandonAsync(claimed, CancellationToken.None);
                        throw;
                    }

                    await idempotency.CompleteAsync(claimed, StoredOutcome.Write(outcome), cancellationToken);
                    return outcome.IsSuccess ? new ReservationReceipt(outcome.Value, false) : outcome.Error;
            }
        }
    }

    private async Task<Result<ReservationView>> ReserveOnceAsync(
        string sessionId, ReservationRequest request, CancellationToken cancellationToken)
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
                Language = request.Language ?? "ko",
                Status = ReservationStatus.Confirmed,
                CreatedAt = clock.GetUtcNow(),
            },
            phoneHasher.Hash(mobile.E164),
            request.JoinWaitlist ?? false,
            program.WaitlistSkipAhead);

        var started = Stopwatch.GetTimestamp();
        var committed = await committer.CommitAsync(draft, cancellationToken);
        metrics?.Stage("request.commit", started);
        if (!committed.IsSuccess)
        {
            return InFestivalTime(committed.Error, festival);
        }

        var (reservation, message, position) = committed.Value;
        logger.LogInformation("Reservation {Code} {Status} for {Seats} seats in {SessionId}",
            ReservationCodeText(reservation.Code), reservation.Status, reservation.PartySize, sessionId);
        if (!committed.Value.Dispatching)
        {
            started = Stopwatch.GetTimestamp();
            await dispatcher.DispatchAsync(message, cancellationToken);
            metrics?.Stage("request.dispatch", started);
        }

        return reservation.ToView(festival, position);
    }

    /// <summary>
    /// Instants in a refusal (bookingOpensAt) are written festival-local with their offset, like every
    /// festival time: counters come back from Table Storage in UTC.
    /// </summary>
    private static DomainError InFestivalTime(DomainError error, Festival festival) =>
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

    public async Task<Result<ReservationView>> LookupAsync(string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        var found = await FindOwnedAsync(code, request, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (reservation, festival) = found.Value;
        int? position = reservation.Status == ReservationStatus.Waitlisted && reservation.WaitlistSeq is { } seq
            ? await changes.WaitlistPositionAsync(reservation.SessionId, seq, cancellationToken)
            : null;
        return reservation.ToView(festival, position);
    }

    public async Task<Result<ReservationView>> CancelAsync(string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        var found = await FindOwnedAsync(code, request, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (reservation, festival) = found.Value;
        var cancelled = await CancelInSessionAsync(festival, reservation.SessionId, reservation.Code, byVisitor: true, reason: null, cancellationToken);
        return cancelled.IsSuccess ? cancelled.Value.ToView(festival, null) : cancelled.Error;
    }

    /// <summary>
    /// Cancels a reservation and, in the same transaction, gives the seats it frees to the waitlist.
    /// Visitors may cancel until the session starts; staff at any time.
    /// </summary>
    public Task<Result<Reservation>> CancelInSessionAsync(
        Festival festival, string sessionId, string code, bool byVisitor, string? reason, CancellationToken cancellationToken)
    {
        var skipAhead = festival.FindSession(sessionId) is { } s && festival.FindProgram(s.ProgramId)?.WaitlistSkipAhead == true;
        return changes.RunAsync<Reservation>(sessionId, async (snapshot, now) =>
        {
            if (await sessions.GetReservationAsync(sessionId, code, cancellationToken) is not var (reservation, etag))
            {
                return DomainError.NotFound("reservation");
            }

            if (CancellationRule.CheckStatus(reservation) is { } statusProblem)
            {
                return statusProblem;
            }

            if (byVisitor && CancellationRule.CheckVisitorDeadline(snapshot.State, now) is { } late)
            {
                return late;
            }

            var cancelled = reservation with { Status = ReservationStatus.Cancelled, CancelledAt = now, CancelReason = reason };
            var next = snapshot.State;
            var rows = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(cancelled), etag),
                new(TableTransactionActionType.Delete,
                    new TableEntity(sessionId, SessionRows.PhoneMarker(phoneHasher.Hash(reservation.Phone))), ETag.All),
            };
            if (reservation.Status == ReservationStatus.Waitlisted && reservation.WaitlistSeq is { } seq)
            {
                next = next with
                {
                    Waitlisted = next.Waitlisted - reservation.PartySize,
                    WaitlistParties = next.WaitlistParties - 1,
                };
                rows.Add(new(TableTransactionActionType.Delete, new TableEntity(sessionId, SessionRows.Waitlist(seq)), ETag.All));
            }
            else
            {
                next = next with { Reserved = next.Reserved - reservation.PartySize };
            }

            var message = OutboxMessage.For(sessionId, code, SmsKind.Cancelled, now);
            rows.Add(new(TableTransactionActionType.Add, SessionEntities.ToEntity(sessionId, message)));
            var messages = new List<OutboxMessage> { message };
            next = await changes.PromoteIntoAsync(next, rows, messages, skipAhead, now, reservation.WaitlistSeq, cancellationToken);
            logger.LogInformation("Reservation {Code} cancelled in {SessionId} by {Actor}", ReservationCodeText(code), sessionId,
                byVisitor ? "visitor" : "staff");
            return new SessionChange<Reservation>(next, rows, messages, cancelled);
        }, cancellationToken);
    }

    /// <summary>The reservation behind a code, if the phone is the one it was made with; otherwise not-found, the same either way.</summary>
    private async Task<Result<(Reservation Reservation, Festival Festival)>> FindOwnedAsync(
        string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            return DomainError.Validation("phone", "Enter the mobile number the reservation was made with.");
        }

        var notFound = DomainError.NotFound("reservation");
        if (!ReservationCode.TryParse(code, out var parsed) || !KoreanMobile.TryParse(request.Phone, out var mobile))
        {
            return notFound;
        }

        if (await codes.FindSessionAsync(parsed, cancellationToken) is not { } sessionId
            || await sessions.GetReservationAsync(sessionId, parsed.Value, cancellationToken) is not var (reservation, _)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(reservation.Phone), Encoding.UTF8.GetBytes(mobile.E164)))
        {
            return notFound;
        }

        return (reservation, await catalog.GetAsync(cancellationToken));
    }

    private static string ReservationCodeText(string code) => ReservationCode.TryParse(code, out var c) ? c.ToString() : code;
}
