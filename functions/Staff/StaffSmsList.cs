using FestivalReservations.Core.Notifications;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>GET /api/staff/sms?status=&amp;reservationCode=: "did my SMS go out?", newest first.</summary>
public sealed class StaffSmsList(SmsStaffService sms, ILogger<StaffSmsList> logger)
{
    [Function(nameof(StaffSmsList))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/staff/sms")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(StaffSmsList), async () => Api.From(
            await sms.ListAsync(request.Query["status"].ToString(), request.Query["reservationCode"].ToString(), cancellationToken),
            list => ApiResult.Ok(list)));
}
