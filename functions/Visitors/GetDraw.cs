using FestivalReservations.Core.Lotteries;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Visitors;

/// <summary>Anyone checks a draw: the revealed seed, its hash, and the order as hashes of the codes.</summary>
public sealed class GetDraw(LotteryDraw draw, ILogger<GetDraw> logger)
{
    [Function(nameof(GetDraw))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/sessions/{sessionId}/draw")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetDraw), async () => Api.From(
            await draw.GetAsync(sessionId, cancellationToken),
            view => ApiResult.Ok(view)));
}
