namespace FestivalReservations.Core.Notifications;

/// <summary>Where one SMS stands in SmsLog.</summary>
public static class SmsStatus
{
    /// <summary>Queued or being sent; no SID yet.</summary>
    public const string Pending = "pending";

    /// <summary>Twilio accepted it (SID recorded).</summary>
    public const string Sent = "sent";

    /// <summary>Twilio's status callback: the handset has it.</summary>
    public const string Delivered = "delivered";

    /// <summary>Twilio's status callback: the carrier could not deliver it.</summary>
    public const string Undelivered = "undelivered";

    /// <summary>Refused for good, or five attempts failed: staff can retry it.</summary>
    public const string Failed = "failed";

    /// <summary>Not sent: the phone's daily SMS budget was spent (Sms:MaxPerPhonePerDay).</summary>
    public const string Suppressed = "suppressed";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Delivered, Undelivered, Failed, Suppressed];

    /// <summary>
    /// How far along a message is. Twilio's callbacks can arrive out of order (a late "sent" after
    /// "delivered"), so a status only ever replaces one of a lower rank; the final ones
    /// (undelivered, failed, delivered) are not moved back.
    /// </summary>
    public static int Rank(string? status) => status switch
    {
        Sent => 1,
        Undelivered or Failed or Suppressed => 2,
        Delivered => 3,
        _ => 0,
    };
}
