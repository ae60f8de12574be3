using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>A reservation can be cancelled while it is active; visitors only until the session starts.</summary>
public static class CancellationRule
{
    public static DomainError? CheckStatus(Reservation reservation) => reservation.Status switch
    {
        ReservationStatus.Cancelled => new DomainError(ErrorCode.AlreadyCancelled, "This reservation is already cancelled."),
        ReservationStatus.CheckedIn => new DomainError(ErrorCode.AlreadyCheckedIn, "This reservation has already been checked in."),
        ReservationStatus.NoShow => new DomainError(ErrorCode.CancellationClosed, "The session is over."),
        ReservationStatus.NotSelected => new DomainError(ErrorCode.CancellationClosed, "This lottery entry was not selected in the draw: there is nothing to cancel."),
        _ when reservation.ErasedAt is not null => Erased(),
        _ => null,
    };

    /// <summary>
    /// An erased reservation is a record of its session's numbers, long after the session: changing it
    /// would change the counts staff reported, and a reason would be personal data written after erasure.
    /// </summary>
    public static DomainError Erased() =>
        new(ErrorCode.PersonalDataErased, "This reservation's personal data was erased after its session; it can no longer be cancelled.");

    public static DomainError? CheckVisitorDeadline(SessionState session, DateTimeOffset now) =>
        now >= session.Start
            ? new DomainError(ErrorCode.CancellationClosed, "Cancellation closed when the session started.")
            : null;
}
