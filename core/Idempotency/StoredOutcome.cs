using System.Text.Json;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Idempotency;

/// <summary>The first answer to an idempotent create, as stored for replays: a reservation or a refusal.</summary>
public sealed record StoredOutcome(ReservationView? Reservation, ErrorCode? Code, string? Detail, Dictionary<string, string[]>? Errors)
{
    public static string Write(Result<ReservationView> outcome) => JsonSerializer.Serialize(
        outcome.IsSuccess
            ? new StoredOutcome(outcome.Value, null, null, null)
            : new StoredOutcome(null, outcome.Error.Code, outcome.Error.Detail, outcome.Error.Errors?.ToDictionary(e => e.Key, e => e.Value)),
        JsonPolicies.Stored);

    public static Result<ReservationReceipt> Read(string json, bool replayed)
    {
        var stored = JsonSerializer.Deserialize<StoredOutcome>(json, JsonPolicies.Stored)!;
        return stored.Reservation is not null
            ? new ReservationReceipt(stored.Reservation, replayed)
            : new DomainError(stored.Code ?? ErrorCode.ValidationFailed, stored.Detail ?? "", stored.Errors) { Replayed = replayed };
    }
}
