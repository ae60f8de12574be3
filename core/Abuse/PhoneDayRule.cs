using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Abuse;

/// <summary>
/// A session a phone holds an active reservation or lottery entry in, on that session's festival
/// day: <see cref="Requests"/> are the booking requests that stand behind it (one, unless the same
/// phone asked for the same session twice at once).
/// </summary>
public sealed record PhoneHold(string SessionId, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset HeldAt, IReadOnlyList<string> Requests);

/// <summary>
/// Hoarding: one phone holds at most <c>Reservations:MaxPerPhonePerDay</c> sessions of one festival
/// day, and no two that overlap in time (nobody can be at two programs at once).
/// </summary>
public static class PhoneDayRule
{
    public static bool Overlaps(PhoneHold hold, DateTimeOffset start, DateTimeOffset end) => hold.Start < end && start < hold.End;

    /// <summary>The holds of other sessions that stand in the way of one more, and the refusal they cause; none: it may be held.</summary>
    public static (DomainError? Refusal, IReadOnlyList<PhoneHold> Blocking) Check(
        IReadOnlyCollection<PhoneHold> holds, string sessionId, DateTimeOffset start, DateTimeOffset end, int maxPerDay)
    {
        var others = holds.Where(h => h.SessionId != sessionId).ToList();
        var overlapping = others.Where(h => Overlaps(h, start, end)).ToList();
        if (overlapping.Count > 0)
        {
            return (Overlapping(), overlapping);
        }

        return others.Count >= maxPerDay ? (LimitReached(maxPerDay), others) : (null, []);
    }

    public static DomainError Overlapping() =>
        new(ErrorCode.OverlappingReservation, "This phone already holds a reservation for a session at the same time.");

    public static DomainError LimitReached(int maxPerDay) =>
        new(ErrorCode.PhoneLimitReached, $"This phone already holds {maxPerDay} reservations that day, the most allowed.");
}
