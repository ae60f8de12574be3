using FestivalReservations.Core.Reservations;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class LookupReservation(ReservationService reservations, ILogger<LookupReservation> logger)
{
    [Function(nameof(LookupReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reservations/{code}/lookup")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(LookupReservation), async () =>
        {
            var body = await JsonBody.ReadAsync<PhoneRequest>(request, cancellationToken);
            return body.IsSuccess
                ? Api.From(await reservations.LookupAsync(code, body.Value, cancellationToken), r => ApiResult.Ok(r))
                : Problems.For(body.Error);
        });
}
