using FestivalReservations.Core.Queries;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class GetFestival(FestivalQueries queries, ILogger<GetFestival> logger)
{
    [Function(nameof(GetFestival))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/festival")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetFestival), async () => ApiResult.Ok(await queries.GetFestivalAsync(cancellationToken)));
}
