using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;

namespace FestivalReservations.Core.Staff;

// The staff half of the HTTP contract (../shared/API.md, Staff), serialized camelCase.

/// <summary>A session on the capacity board: the visitor Session plus its title and who has arrived.</summary>
public sealed record StaffSessionView(
    string SessionId, string ProgramId, string Date, string Start, string End, int Capacity, int Reserved,
    int Remaining, int Waitlisted, string Status, string BookingOpensAt, string BookingClosesAt,
    LocalizedText Title, int CheckedIn, int WaitlistParties)
    : SessionView(SessionId, ProgramId, Date, Start, End, Capacity, Reserved, Remaining, Waitlisted, Status,
        BookingOpensAt, BookingClosesAt);

public sealed record CapacityTotals(int Capacity, int Reserved, int Remaining, int Waitlisted, int CheckedIn);

/// <summary>GET /api/staff/capacity?date=: every session of the day from its counter, and the day's totals.</summary>
public sealed record CapacityView(string Date, CapacityTotals Totals, IReadOnlyList<StaffSessionView> Sessions);

/// <summary>The body of POST /api/staff/reservations/{code}/cancel.</summary>
public sealed record StaffCancelRequest(string? Reason);

/// <summary>The body of PATCH /api/staff/sessions/{sessionId}.</summary>
public sealed record SessionUpdateRequest(int? Capacity, bool? Closed);

/// <summary>What PUT /api/staff/catalog changed.</summary>
public sealed record CatalogUpdateView(int ProgramsAdded, int ProgramsUpdated, int SessionsAdded, int SessionsUpdated);
