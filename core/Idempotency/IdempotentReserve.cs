using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Idempotency;

/// <summary>
/// The Idempotency-Key protocol around <see cref="ReserveSeats"/>: the first request with a key does
/// the work and its answer is stored; a repeat with the same request gets that answer replayed, a
/// repeat with another request is refused, and one that arrives while the first is running waits
/// for it (up to 5 s).
/// </summary>
public sealed class IdempotentReserve(ReserveSeats reserve, IdempotencyStore idempotency)
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
                    Result<Contracts.ReservationView> outcome;
                    try
                    {
                        outcome = await reserve.ReserveAsync(sessionId, request, cancellationToken);
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
}
