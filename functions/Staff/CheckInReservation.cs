using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>Check-in by typed code or scanned ticket; the body (optional) <c>{ scannedAt, device, sessionIds }</c> comes with scans.</summary>
public sealed class CheckInReservation(CheckIn checkIn, ILogger<CheckInReservation> logger)
{
    [Function(nameof(CheckInReservation))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/staff/reservations/{code}/check-in")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(CheckInReservation), async () =>
        {
            var scan = CheckInScan.None;
            if (request.ContentLength is > 0 || (request.ContentLength is null && request.ContentType is { Length: > 0 }))
            {
                var body = await JsonBody.ReadAsync<CheckInScan>(request, cancellationToken);
                if (!body.IsSuccess)
                {
                    return Problems.For(body.Error);
                }

                scan = body.Value;
            }

            return Api.From(await checkIn.CheckInAsync(code, scan, cancellationToken), reservation => ApiResult.Ok(reservation));
        });
}
