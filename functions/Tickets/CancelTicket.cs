using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Tickets;

/// <summary>Cancel from the ticket page: the ticket is the credential, so no body is needed.</summary>
public sealed class CancelTicket(TicketReservations tickets, ClientRateLimiter limiter, ILogger<CancelTicket> logger)
{
    [Function(nameof(CancelTicket))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tickets/{ticket}/cancel")] HttpRequest request,
        string ticket,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(CancelTicket), async () =>
        {
            if (ClientLimits.Refusal(limiter, LimitedAction.Lookup, request) is { } tooMany)
            {
                return tooMany;
            }

            var result = await tickets.CancelAsync(ticket, cancellationToken);
            ClientLimits.NoteOutcome(limiter, request, result);
            return Api.From(result, r => ApiResult.Ok(r));
        });
}
