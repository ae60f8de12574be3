using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>A session's capacity never goes below the seats already taken (staff PATCH and catalog uploads alike).</summary>
public static class CapacityRule
{
    public static DomainError? Check(SessionState session, int capacity) =>
        capacity < session.Reserved ? BelowReserved(session.SessionId, capacity, session.Reserved) : null;

    public static DomainError BelowReserved(string sessionId, int capacity, int reserved) =>
        new(ErrorCode.CapacityBelowReserved,
            $"Session {sessionId} has {reserved} seats taken; its capacity cannot be set to {capacity}.")
        {
            Extensions = new Dictionary<string, object?> { ["sessionId"] = sessionId, ["reserved"] = reserved, ["capacity"] = capacity },
        };
}
