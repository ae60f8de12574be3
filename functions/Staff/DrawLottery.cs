using FestivalReservations.Core.Lotteries;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>Staff draw a lottery once its entries have closed; a repeat answers the same result.</summary>
public sealed class DrawLottery(LotteryDraw draw, ILogger<DrawLottery> logger)
{
    [Function(nameof(DrawLottery))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/staff/sessions/{sessionId}/draw")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(DrawLottery), async () => Api.From(
            await draw.DrawAsync(sessionId, byStaff: true, cancellationToken),
            result => ApiResult.Ok(result)));
}
