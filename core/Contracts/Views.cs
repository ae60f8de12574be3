using FestivalReservations.Core.Catalog;

namespace FestivalReservations.Core.Contracts;

// The HTTP contract's shapes (../shared/API.md), serialized camelCase. Times are strings already
// formatted as the contract wants them (festival-local with offset, or UTC with Z).

public sealed record FestivalView(
    string FestivalId, LocalizedText Name, LocalizedText Venue, string TimeZone, IReadOnlyList<string> Dates,
    OpeningHoursView OpeningHours);

public sealed record OpeningHoursView(string Start, string End);

public sealed record ProgramView(
    string ProgramId, string Theme, LocalizedText Title, LocalizedText Description, LocalizedText Location,
    int DurationMinutes, int MaxPartySize, IReadOnlyList<SessionView> Sessions);

public record SessionView(
    string SessionId, string ProgramId, string Date, string Start, string End, int Capacity, int Reserved,
    int Remaining, int Waitlisted, string Status, string BookingOpensAt, string BookingClosesAt)
{
    /// <summary>"first-come" or "lottery".</summary>
    public string Allocation { get; init; } = Lotteries.Allocation.FirstCome;

    /// <summary>A lottery session's window and draw (null for first-come).</summary>
    public LotteryView? Lottery { get; init; }
}

/// <summary>
/// A lottery as anyone may see it: <see cref="SeedHash"/> from the moment entries open, <see cref="Seed"/>
/// only once drawn.
/// </summary>
public sealed record LotteryView(string EntriesOpenAt, string EntriesCloseAt, string DrawAt, string Status, int Entries, string? SeedHash, string? Seed);

/// <summary>POST /api/staff/sessions/{sessionId}/draw: the draw's result (the same on every repeat).</summary>
public sealed record DrawResultView(string SessionId, string Seed, string SeedHash, int Entries, int Confirmed, int Waitlisted);

/// <summary>GET /api/sessions/{sessionId}/draw: the revealed seed and the draw order as hashes of the codes.</summary>
public sealed record DrawView(string Seed, string SeedHash, IReadOnlyList<string> Order);

public sealed record SessionProgramView(string ProgramId, LocalizedText Title, string Theme, LocalizedText Location);

public sealed record SessionDetailView(
    string SessionId, string ProgramId, string Date, string Start, string End, int Capacity, int Reserved,
    int Remaining, int Waitlisted, string Status, string BookingOpensAt, string BookingClosesAt,
    SessionProgramView Program)
    : SessionView(SessionId, ProgramId, Date, Start, End, Capacity, Reserved, Remaining, Waitlisted, Status,
        BookingOpensAt, BookingClosesAt);

public sealed record ReservationView(
    string Code, string SessionId, string ProgramId, LocalizedText ProgramTitle, string Start, string Status,
    int PartySize, string Name, string PhoneMasked, string Language, int? WaitlistPosition, string CreatedAt,
    string? CheckedInAt, string? CancelledAt, string? TicketUrl = null, bool? RemindersOff = null);
