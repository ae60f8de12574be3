using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class CreateReservation(IdempotentReserve reservations, ClientRateLimiter limiter, ILogger<CreateReservation> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 64;

    [Function(nameof(CreateReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sessions/{sessionId}/reservations")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(CreateReservation), async () =>
        {
            if (await ClientLimits.RefusalAsync(limiter, LimitedAction.Reserve, request, cancellationToken) is { } tooMany)
            {
                return tooMany;
            }

            var key = request.Headers[IdempotencyKeyHeader].ToString();
            if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
            {
                return Problems.For(DomainError.Validation(IdempotencyKeyHeader, "Up to 64 printable ASCII characters."));
            }

            var body = await JsonBody.ReadAsync<ReservationRequest>(request, cancellationToken);
            if (!body.IsSuccess)
            {
                return Problems.For(body.Error);
            }

            var receipt = await reservations.ReserveAsync(sessionId, body.Value, key.Length == 0 ? null : key, cancellationToken);
            return Api.From(receipt, r =>
            {
                var created = new ApiResult(StatusCodes.Status201Created, r.Reservation)
                    .WithHeader("Location", $"/api/reservations/{r.Reservation.Code}");
                return r.Replayed ? created.WithHeader("Idempotent-Replayed", "true") : created;
            });
        });
}
