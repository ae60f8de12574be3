using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>
/// A phone holds at most one active reservation per session. The phone marker row enforces it inside
/// the session's transaction; this is the answer when it does.
/// </summary>
public static class OnePhoneRule
{
    public static DomainError Duplicate() =>
        new(ErrorCode.DuplicateReservation, "This phone already holds an active reservation for this session.");
}
