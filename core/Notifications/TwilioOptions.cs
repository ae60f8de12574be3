namespace FestivalReservations.Core.Notifications;

/// <summary>Twilio account used for SMS; with no AccountSid a logging sender stands in.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The numeric sender (Korea allows numeric senders only); or use MessagingServiceSid.</summary>
    public string? From { get; set; }

    public string? MessagingServiceSid { get; set; }

    /// <summary>Public URL of POST /api/sms/status, sent to Twilio with each message.</summary>
    public string? StatusCallbackUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid);
}
