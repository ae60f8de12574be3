using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>Today's ticket day keys for the staff page's offline check-in (today only: a lost tablet exposes one day).</summary>
public sealed class GetTicketDayKeys(TicketDayKeys keys, ILogger<GetTicketDayKeys> logger)
{
    [Function(nameof(GetTicketDayKeys))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/staff/tickets/day-keys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetTicketDayKeys), async () =>
            ApiResult.Ok(await keys.TodayAsync(cancellationToken)).WithHeader("Cache-Control", "no-store"));
}
