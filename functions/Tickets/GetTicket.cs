using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Tickets;

public sealed class GetTicket(TicketReservations tickets, ClientRateLimiter limiter, ILogger<GetTicket> logger)
{
    [Function(nameof(GetTicket))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tickets/{ticket}")] HttpRequest request,
        string ticket,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(GetTicket), async () =>
        {
            if (ClientLimits.Refusal(limiter, LimitedAction.Lookup, request) is { } tooMany)
            {
                return tooMany;
            }

            var result = await tickets.GetAsync(ticket, cancellationToken);
            ClientLimits.NoteOutcome(limiter, request, result);
            return Api.From(result, r => ApiResult.Ok(r));
        });
}
