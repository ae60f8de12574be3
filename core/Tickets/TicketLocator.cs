using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Tickets;

/// <summary>
/// Finds the reservation a ticket names, if its signature holds: the code's session (from the
/// Codes table), that session's festival day, and the MAC under that day's key. A ticket that does
/// not verify is treated as unknown, exactly like an unknown code.
/// </summary>
public sealed class TicketLocator(CatalogService catalog, CodeDirectory codes, TicketSigner signer)
{
    /// <summary>The session and stored code of a ticket that verifies; null otherwise.</summary>
    public async Task<(string SessionId, string Code)?> LocateTicketAsync(string text, CancellationToken cancellationToken)
    {
        if (!Ticket.TryParse(text, out var ticket)
            || await codes.FindSessionAsync(ticket.Code, cancellationToken) is not { } sessionId)
        {
            return null;
        }

        var festival = await catalog.GetAsync(cancellationToken);
        return festival.FindSession(sessionId) is { } session && signer.Verify(ticket, session.Date)
            ? (sessionId, ticket.Code.Value)
            : null;
    }

    /// <summary>A typed code or a scanned ticket (which must verify); null when it names nothing.</summary>
    public async Task<(string SessionId, string Code)?> LocateAsync(string codeOrTicket, CancellationToken cancellationToken) =>
        IsTicket(codeOrTicket)
            ? await LocateTicketAsync(codeOrTicket, cancellationToken)
            : await codes.LocateAsync(codeOrTicket, cancellationToken);

    /// <summary>Longer than a code: read as a ticket (a code is 8 characters, 9 with its hyphen).</summary>
    public static bool IsTicket(string text) => text.Replace("-", "", StringComparison.Ordinal).Trim().Length > 8;
}
