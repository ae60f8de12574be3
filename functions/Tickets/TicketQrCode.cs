using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using QRCoder;

namespace FestivalReservations.Functions.Tickets;

/// <summary>
/// The QR code of a ticket as SVG (QRCoder): the ticket's absolute link, so a phone camera opens the
/// ticket page and a staff scanner reads the ticket from it. Only for a ticket that verifies.
/// </summary>
public sealed class TicketQrCode(TicketLocator locator, TicketSigner signer, ClientRateLimiter limiter, ILogger<TicketQrCode> logger)
{
    [Function(nameof(TicketQrCode))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tickets/{ticket}/qr")] HttpRequest request,
        string ticket,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(TicketQrCode), async () =>
        {
            if (ClientLimits.Refusal(limiter, LimitedAction.Lookup, request) is { } tooMany)
            {
                return tooMany;
            }

            if (await locator.LocateTicketAsync(ticket, cancellationToken) is null || !Ticket.TryParse(ticket, out var parsed))
            {
                limiter.RecordFailedLookup(ClientLimits.ClientOf(request));
                return Problems.For(DomainError.NotFound("ticket"));
            }

            return new ApiResult(StatusCodes.Status200OK, Svg(signer.PublicBaseUrl + "/t/" + parsed), "image/svg+xml; charset=utf-8")
                .WithHeader("Cache-Control", "private, max-age=86400");
        });

    /// <summary>The link as an SVG QR code, error correction M, with its quiet zone.</summary>
    public static string Svg(string link)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true);
    }
}
