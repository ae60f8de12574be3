using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>Writes a draft into its session, never overselling: one of the two commit modes.</summary>
public interface IReservationCommitter
{
    Task<Result<CommittedReservation>> CommitAsync(ReservationDraft draft, CancellationToken cancellationToken);
}
