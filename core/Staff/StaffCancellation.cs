using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;

namespace FestivalReservations.Core.Staff;

/// <summary>Staff cancel for a visitor, at any time, with an optional reason; the visitor gets the cancelled SMS and the waitlist the seats.</summary>
public sealed class StaffCancellation(CatalogService catalog, CodeDirectory codes, Cancellation cancellation, TicketSigner tickets)
{
    public const int MaxReasonLength = 200;

    public async Task<Result<ReservationView>> CancelAsync(string code, StaffCancelRequest request, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason is not null && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
        {
            return DomainError.Validation("reason", $"A reason has at most {MaxReasonLength} characters and no control characters.");
        }

        if (await codes.LocateAsync(code, cancellationToken) is not var (sessionId, key))
        {
            return DomainError.NotFound("reservation");
        }

        var festival = await catalog.GetAsync(cancellationToken);
        var cancelled = await cancellation.CancelAsync(festival, sessionId, key, CancelledBy.Staff, reason, cancellationToken);
        if (!cancelled.IsSuccess)
        {
            return cancelled.Error;
        }

        return cancelled.Value.ToView(festival, null, tickets);
    }
}
