namespace FestivalReservations.Core.Reservations;

/// <summary>Where a reservation stands; the contract's kebab-case names.</summary>
public static class ReservationStatus
{
    public const string Confirmed = "confirmed";
    public const string Waitlisted = "waitlisted";
    public const string CheckedIn = "checked-in";
    public const string Cancelled = "cancelled";
    public const string NoShow = "no-show";
}
