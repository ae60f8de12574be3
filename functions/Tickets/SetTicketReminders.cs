using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Tickets;

/// <summary>The reminder opt-out (Korean SMS cannot be answered with STOP): body <c>{ enabled }</c>.</summary>
public sealed class SetTicketReminders(TicketReservations tickets, ClientRateLimiter limiter, ILogger<SetTicketReminders> logger)
{
    [Function(nameof(SetTicketReminders))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/tickets/{ticket}/reminders")] HttpRequest request,
        string ticket,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(SetTicketReminders), async () =>
        {
            if (ClientLimits.Refusal(limiter, LimitedAction.Lookup, request) is { } tooMany)
            {
                return tooMany;
            }

            var body = await JsonBody.ReadAsync<RemindersRequest>(request, cancellationToken);
            if (!body.IsSuccess)
            {
                return Problems.For(body.Error);
            }

            if (body.Value.Enabled is not { } enabled)
            {
                return Problems.For(Core.Errors.DomainError.Validation("enabled", "Say true or false."));
            }

            var result = await tickets.SetRemindersAsync(ticket, enabled, cancellationToken);
            ClientLimits.NoteOutcome(limiter, request, result);
            return Api.From(result, r => ApiResult.Ok(r));
        });
}

public sealed record RemindersRequest(bool? Enabled);
