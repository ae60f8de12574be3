using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

public sealed class PutCatalog(CatalogUpdater updater, ILogger<PutCatalog> logger)
{
    [Function(nameof(PutCatalog))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/staff/catalog")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(PutCatalog), async () =>
        {
            var body = await JsonBody.ReadAsync<CatalogDocument>(request, cancellationToken);
            return body.IsSuccess
                ? Api.From(await updater.ReplaceAsync(body.Value, cancellationToken), view => ApiResult.Ok(view))
                : Problems.For(body.Error);
        });
}
