using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Idempotency;

/// <summary>
/// The Idempotency-Key protocol around <see cref="ReserveSeats"/>: the first request with a key does
/// the work and its answer is stored; a repeat with the same request gets that answer replayed, a
/// repeat with another request is refused, and one that arrives while the first is running waits
/// for it (up to 5 s). When the first request ended without a known outcome (a storage error after
/// its booking may have committed), the key stays claimed and the next request with it looks for the
/// booking (the phone's marker in the session and the reservation it names): found, it is the answer,
/// with its original code; not found, the work is done again.
/// </summary>
public sealed class IdempotentReserve(ReserveSeats reserve, OwnedReservations owned, IdempotencyStore idempotency, ILogger<IdempotentReserve> logger)
{
    public const string Scope = "reservations";

    public async Task<Result<ReservationReceipt>> ReserveAsync(
        string sessionId, ReservationRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            var result = await reserve.ReserveAsync(sessionId, request, cancellationToken);
            return result.IsSuccess ? new ReservationReceipt(result.Value, false) : result.Error;
        }

        var fingerprint = IdempotencyStore.Fingerprint(JsonSerializer.Serialize(new { sessionId, request }, JsonPolicies.Stored));
        var keyHash = IdempotencyStore.HashKey(Scope, idempotencyKey);
        for (var wait = 0; ; wait++)
        {
            IdempotencyClaim claim;
            try
            {
                claim = await idempotency.ClaimAsync(keyHash, fingerprint, cancellationToken);
            }
            catch (Exception e) when (wait > 0 && wait < 50 && StorageFailure.IsTransient(e, cancellationToken))
            {
                // Waiting for the first request with this key: a failed look at its claim is no answer yet.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); // real time: waiting for a real request
                continue;
            }

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
                case IdempotencyClaim.Claimed { Unresolved: true } unresolved:
                    if (await owned.FindStandingAsync(sessionId, request, cancellationToken) is { } standing)
                    {
                        logger.LogInformation("Idempotency-Key resolved: the first request's reservation {Code} stands in {SessionId}",
                            standing.Code, sessionId);
                        await idempotency.CompleteAsync(unresolved, StoredOutcome.Write(standing), cancellationToken);
                        return new ReservationReceipt(standing, true);
                    }

                    return await DoAsync(unresolved);
                case IdempotencyClaim.Claimed claimed:
                    return await DoAsync(claimed);
            }
        }

        async Task<Result<ReservationReceipt>> DoAsync(IdempotencyClaim.Claimed claimed)
        {
            Result<Contracts.ReservationView> outcome;
            try
            {
                outcome = await reserve.ReserveAsync(sessionId, request, cancellationToken);
            }
            catch (CommitContentionException)
            {
                // Every attempt was refused (412): nothing was written, the key may be used afresh.
                await idempotency.AbandonAsync(claimed, CancellationToken.None);
                throw;
            }
            catch
            {
                // The booking may have committed: the next request with this key finds out.
                await idempotency.MarkUnknownAsync(claimed, CancellationToken.None);
                throw;
            }

            if (!await idempotency.CompleteAsync(claimed, StoredOutcome.Write(outcome), cancellationToken))
            {
                // The answer stands; a retry with the key resolves it from the stored booking.
                logger.LogWarning("Could not store the answer to an Idempotency-Key for {SessionId}", sessionId);
            }

            return outcome.IsSuccess ? new ReservationReceipt(outcome.Value, false) : outcome.Error;
        }
    }
}
