using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class LookupReservation(ReservationLookup lookup, ClientRateLimiter limiter, ILogger<LookupReservation> logger)
{
    [Function(nameof(LookupReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reservations/{code}/lookup")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(LookupReservation), async () =>
        {
            if (await ClientLimits.RefusalAsync(limiter, LimitedAction.Lookup, request, cancellationToken) is { } tooMany)
            {
                return tooMany;
            }

            var body = await JsonBody.ReadAsync<PhoneRequest>(request, cancellationToken);
            if (!body.IsSuccess)
            {
                return Problems.For(body.Error);
            }

            var result = await lookup.LookupAsync(code, body.Value, cancellationToken);
            ClientLimits.NoteOutcome(limiter, request, result);
            return Api.From(result, r => ApiResult.Ok(r));
        });
}
