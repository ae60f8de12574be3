namespace FestivalReservations.Core.Reservations;

/// <summary>The body of POST /api/sessions/{sessionId}/reservations, as sent (not yet validated).</summary>
public sealed record ReservationRequest(string? Name, string? Phone, int? PartySize, string? Language, bool? JoinWaitlist);

/// <summary>The body of lookup and visitor cancel.</summary>
public sealed record PhoneRequest(string? Phone);

/// <summary>The outcome of a create call: the reservation, and whether it is a replay of an earlier identical request.</summary>
public sealed record ReservationReceipt(Contracts.ReservationView Reservation, bool Replayed);
