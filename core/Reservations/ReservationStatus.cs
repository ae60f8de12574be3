namespace FestivalReservations.Core.Reservations;

/// <summary>Where a reservation stands; the contract's kebab-case names.</summary>
public static class ReservationStatus
{
    public const string Confirmed = "confirmed";
    public const string Waitlisted = "waitlisted";
    public const string CheckedIn = "checked-in";
    public const string Cancelled = "cancelled";
    public const string NoShow = "no-show";

    /// <summary>A lottery entry waiting for its draw.</summary>
    public const string Entered = "entered";

    /// <summary>A lottery entry the draw neither seated nor waitlisted.</summary>
    public const string NotSelected = "not-selected";
}
