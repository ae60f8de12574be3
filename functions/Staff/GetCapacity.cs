using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

public sealed class GetCapacity(CapacityBoard board, ILogger<GetCapacity> logger)
{
    [Function(nameof(GetCapacity))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/staff/capacity")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetCapacity), async () => Api.From(
            await board.GetCapacityAsync(request.Query.TryGetValue("date", out var date) ? date.ToString() : null, cancellationToken),
            view => ApiResult.Ok(view)));
}
