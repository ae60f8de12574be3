namespace FestivalReservations.Core.Privacy;

/// <summary>Personal data handling (Korea's PIPA): keyed phone hashes and how long data is kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Secret for the HMAC that keys phone markers; at least 32 characters.</summary>
    public string PhoneHashKey { get; set; } = "";

    /// <summary>Names and phone numbers are erased this many days after their session.</summary>
    public int RetentionDays { get; set; } = 30;
}
