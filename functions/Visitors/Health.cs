using FestivalReservations.Core.Storage;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Visitors;

public sealed class Health(StorageHealth storage)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await storage.IsReachableAsync(cancellationToken)
            ? ApiResult.Ok(new { status = "ok", storage = "ok" })
            : new ApiResult(StatusCodes.Status503ServiceUnavailable, new { status = "degraded", storage = "unreachable" })
                .WithHeader("Retry-After", "5");
}
