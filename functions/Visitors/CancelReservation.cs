using FestivalReservations.Core.Reservations;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class CancelReservation(ReservationService reservations, ILogger<CancelReservation> logger)
{
    [Function(nameof(CancelReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reservations/{code}/cancel")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(CancelReservation), async () =>
        {
            var body = await JsonBody.ReadAsync<PhoneRequest>(request, cancellationToken);
            return body.IsSuccess
                ? Api.From(await reservations.CancelAsync(code, body.Value, cancellationToken), r => ApiResult.Ok(r))
                : Problems.For(body.Error);
        });
}
