using FestivalReservations.Core.Notifications;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>POST /api/staff/sms/{messageId}/retry: 202 for a failed message (queued again), 409 otherwise, 404 unknown.</summary>
public sealed class StaffSmsRetry(SmsStaffService sms, ILogger<StaffSmsRetry> logger)
{
    [Function(nameof(StaffSmsRetry))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/staff/sms/{messageId}/retry")] HttpRequest request,
        string messageId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(StaffSmsRetry), async () => Api.From(
            await sms.RetryAsync(messageId, cancellationToken),
            view => new ApiResult(StatusCodes.Status202Accepted, view)));
}
