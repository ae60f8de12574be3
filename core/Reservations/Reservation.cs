namespace FestivalReservations.Core.Reservations;

/// <summary>A visitor's reservation as stored in its session's partition.</summary>
public sealed record Reservation
{
    public required string Code { get; init; }
    public required string SessionId { get; init; }
    public required string ProgramId { get; init; }
    public required string Name { get; init; }

    /// <summary>E.164; never leaves the store except to the SMS sender.</summary>
    public required string Phone { get; init; }

    public required int PartySize { get; init; }
    public required string Language { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The waitlist ticket (its order) while the reservation is waitlisted.</summary>
    public long? WaitlistSeq { get; init; }

    public DateTimeOffset? CheckedInAt { get; init; }

    /// <summary>The staff device that checked the party in (from its scan), when it said.</summary>
    public string? CheckInDevice { get; init; }

    /// <summary>The visitor opted out of the reminder SMS from the ticket page (not personal data: erasure keeps it).</summary>
    public bool RemindersOff { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancelReason { get; init; }

    /// <summary>When a seat freed and the waitlisted party got it.</summary>
    public DateTimeOffset? PromotedAt { get; init; }

    /// <summary>When the name and phone were erased (retention); the rest of the row stays for the counts.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>A lottery entry's place in its session's draw order (1 is first), set by the draw.</summary>
    public int? DrawRank { get; init; }

    public bool HoldsSeats => Status is ReservationStatus.Confirmed or ReservationStatus.CheckedIn;

    public bool IsActive => Status is ReservationStatus.Confirmed or ReservationStatus.Waitlisted or ReservationStatus.CheckedIn
        or ReservationStatus.Entered;
}
