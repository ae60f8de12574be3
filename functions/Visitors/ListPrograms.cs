using FestivalReservations.Core.Queries;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

public sealed class ListPrograms(FestivalQueries queries, ILogger<ListPrograms> logger)
{
    [Function(nameof(ListPrograms))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/programs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(ListPrograms), async () => Api.From(
            await queries.ListProgramsAsync(Query(request, "date"), Query(request, "theme"), cancellationToken),
            programs => ApiResult.Ok(programs)));

    private static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;
}
