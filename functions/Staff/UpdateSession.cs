using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

public sealed class UpdateSession(SessionSettings settings, ILogger<UpdateSession> logger)
{
    [Function(nameof(UpdateSession))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "api/staff/sessions/{sessionId}")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(UpdateSession), async () =>
        {
            var body = await JsonBody.ReadAsync<SessionUpdateRequest>(request, cancellationToken);
            return body.IsSuccess
                ? Api.From(await settings.UpdateSessionAsync(sessionId, body.Value, cancellationToken), s => ApiResult.Ok(s))
                : Problems.For(body.Error);
        });
}
