using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>Session counters for rule tests: mask-parade on Sunday 2024-09-08 at 15:00 KST, booking from Monday 10:00 KST.</summary>
public static class Sessions
{
    public const string Id = "mask-parade.20240908.1500";
    public static readonly DateTimeOffset Start = new(2024, 9, 8, 15, 0, 0, TimeSpan.FromHours(9));
    public static readonly DateTimeOffset OpensAt = new(2024, 9, 2, 10, 0, 0, TimeSpan.FromHours(9));

    /// <summary>A moment when booking is open (Thursday before the festival).</summary>
    public static readonly DateTimeOffset DuringBooking = new(2024, 9, 5, 12, 0, 0, TimeSpan.FromHours(9));

    public static SessionState State(int capacity = 10, int reserved = 0, int waitlisted = 0, int waitlistParties = 0, bool closed = false) => new()
    {
        SessionId = Id,
        ProgramId = "mask-parade",
        Date = new DateOnly(2024, 9, 8),
        Start = Start,
        End = Start.AddMinutes(60),
        BookingOpensAt = OpensAt,
        Capacity = capacity,
        Reserved = reserved,
        Waitlisted = waitlisted,
        WaitlistParties = waitlistParties,
        Closed = closed,
    };
}
