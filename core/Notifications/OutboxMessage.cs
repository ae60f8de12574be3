namespace FestivalReservations.Core.Notifications;

/// <summary>
/// An SMS owed to a visitor, written in the same transaction as the change it reports, then put
/// on the sms queue. The message id makes sending idempotent: one id, at most one SMS.
/// </summary>
/// <remarks>
/// <paramref name="WaitlistPosition"/>: a <c>waitlisted</c> message's place in line when it was
/// decided (first come or by a draw), so the text can say it without reading the waitlist again;
/// a place only improves after that, and a promotion sends its own message. Null for other kinds
/// and for records written before it existed.
/// </remarks>
public sealed record OutboxMessage(string MessageId, string SessionId, string ReservationCode, string Kind, DateTimeOffset CreatedAt,
    int? WaitlistPosition = null)
{
    public static OutboxMessage For(string sessionId, string code, string kind, DateTimeOffset now, int? waitlistPosition = null) =>
        new(Guid.NewGuid().ToString("N"), sessionId, code, kind, now, waitlistPosition);
}

/// <summary>The kinds of message a visitor receives.</summary>
public static class SmsKind
{
    public const string Confirmed = "confirmed";
    public const string Waitlisted = "waitlisted";
    public const string Promoted = "promoted";
    public const string Cancelled = "cancelled";
    public const string Reminder = "reminder";

    /// <summary>A lottery entry taken.</summary>
    public const string Entered = "entered";

    /// <summary>Seated by the lottery's draw.</summary>
    public const string Won = "won";

    /// <summary>Neither seated nor waitlisted by the draw.</summary>
    public const string NotSelected = "not-selected";

    public static readonly IReadOnlyList<string> All = [Confirmed, Waitlisted, Promoted, Cancelled, Reminder, Entered, Won, NotSelected];
}
