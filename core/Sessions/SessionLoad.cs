namespace FestivalReservations.Core.Sessions;

/// <summary>
/// What a change needs of its session besides the counter. The store reads only that: a booking
/// reads the counter and its phone's marker, a cancellation its reservation and (when anyone waits)
/// the waitlist, the no-show and retention jobs every reservation.
/// </summary>
public sealed record SessionLoad
{
    public static readonly SessionLoad CounterOnly = new();

    /// <summary>The counter and its allotments: a change of capacity, window or closing folds them back.</summary>
    public static readonly SessionLoad MovingSeats = new() { Allotments = true };

    /// <summary>One reservation, by its stored code.</summary>
    public string? ReservationCode { get; init; }

    /// <summary>Whether this phone (by hash) holds a marker.</summary>
    public string? PhoneHash { get; init; }

    /// <summary>The waitlist in line order (read only when the counter says anyone waits).</summary>
    public bool Waitlist { get; init; }

    /// <summary>Every reservation of the session.</summary>
    public bool AllReservations { get; init; }

    /// <summary>Every phone marker of the session.</summary>
    public bool AllPhoneMarkers { get; init; }

    /// <summary>The session's allotment rows (read only when the counter says it has any): for a change that may move their seats.</summary>
    public bool Allotments { get; init; }
}
