using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

public sealed class StaffCancelReservation(StaffCancellation cancellation, ILogger<StaffCancelReservation> logger)
{
    [Function(nameof(StaffCancelReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/staff/reservations/{code}/cancel")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(StaffCancelReservation), async () =>
        {
            var body = await JsonBody.ReadAsync<StaffCancelRequest>(request, cancellationToken);
            return body.IsSuccess
                ? Api.From(await cancellation.CancelAsync(code, body.Value, cancellationToken), r => ApiResult.Ok(r))
                : Problems.For(body.Error);
        });
}
