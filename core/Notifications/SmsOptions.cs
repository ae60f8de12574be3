namespace FestivalReservations.Core.Notifications;

/// <summary>How SMS are sent, whoever sends them.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    public static readonly TimeSpan DefaultSendLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one delivery may hold a message while it sends: longer than a Twilio call can take,
    /// shorter than the queue's retries span (host.json), so a delivery that died mid-send is taken
    /// over by a later one. Tests whose queue retries within a second lower it.
    /// </summary>
    public TimeSpan SendLease { get; set; } = DefaultSendLease;

    /// <summary>Messages one phone receives in one festival-local day at most; beyond, they are recorded suppressed and not sent.</summary>
    public int MaxPerPhonePerDay { get; set; } = 10;
}
