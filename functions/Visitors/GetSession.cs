using FestivalReservations.Core.Queries;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class GetSession(FestivalQueries queries, ILogger<GetSession> logger)
{
    [Function(nameof(GetSession))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/sessions/{sessionId}")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetSession), async () => Api.From(
            await queries.GetSessionAsync(sessionId, cancellationToken),
            session => ApiResult.Ok(session)));
}
