using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Tickets;

/// <summary>Today's day keys (festival time, by the app's clock) for staff tablets; never another day's, never the secret.</summary>
public sealed class TicketDayKeys(CatalogService catalog, TicketSigner signer, TimeProvider clock)
{
    public async Task<TicketDayKeysView> TodayAsync(CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var today = festival.Time.DateOf(now);
        return new TicketDayKeysView(
            FestivalTime.FormatDate(today), FestivalTime.FormatUtc(now),
            signer.DayKeys(today).Select(k => new TicketDayKeyView(k.KeyId, k.Key)).ToList());
    }
}

/// <summary>
/// <c>GET /api/staff/tickets/day-keys</c>: the date they are good for, the server's clock (a tablet
/// stamps offline scans with it, not with its own) and one key per signing key id, base64url.
/// </summary>
public sealed record TicketDayKeysView(string Date, string Now, IReadOnlyList<TicketDayKeyView> Keys);

public sealed record TicketDayKeyView(string KeyId, string Key);
