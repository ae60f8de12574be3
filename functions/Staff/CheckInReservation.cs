using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

public sealed class CheckInReservation(CheckIn checkIn, ILogger<CheckInReservation> logger)
{
    [Function(nameof(CheckInReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/staff/reservations/{code}/check-in")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(CheckInReservation), async () => Api.From(
            await checkIn.CheckInAsync(code, cancellationToken),
            reservation => ApiResult.Ok(reservation)));
}
