namespace FestivalReservations.Core.Notifications;

/// <summary>
/// An SMS owed to a visitor, written in the same transaction as the change it reports, then put
/// on the sms queue. The message id makes sending idempotent: one id, at most one SMS.
/// </summary>
public sealed record OutboxMessage(string MessageId, string SessionId, string ReservationCode, string Kind, DateTimeOffset CreatedAt)
{
    public static OutboxMessage For(string sessionId, string code, string kind, DateTimeOffset now) =>
        new(Guid.NewGuid().ToString("N"), sessionId, code, kind, now);
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
