using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>GET /api/staff/erasure-runs?limit=: what each nightly erasure of personal data did, newest first.</summary>
public sealed class ListErasureRuns(ErasureRuns runs, ILogger<ListErasureRuns> logger)
{
    [Function(nameof(ListErasureRuns))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/staff/erasure-runs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(ListErasureRuns), async () => Api.From(
            await runs.ListAsync(request.Query["limit"].ToString(), cancellationToken),
            list => ApiResult.Ok(list)));
}
