namespace FestivalReservations.Core.Abuse;

/// <summary>
/// Per-client limits on the visitor routes that write or probe (reserve, look up, cancel). Korean
/// carriers put many phones behind one address (carrier-grade NAT), so the limits are generous:
/// they stop a script, not a crowd.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Reservation attempts per client IP per minute.</summary>
    public int ReservationsPerMinute { get; set; } = 120;

    /// <summary>Look-ups and cancels per client IP per minute.</summary>
    public int LookupsPerMinute { get; set; } = 120;

    /// <summary>Failed look-ups (wrong code or phone) per client IP per hour before look-ups are refused.</summary>
    public int FailedLookupsPerHour { get; set; } = 60;

    /// <summary>Wrong phones for one code (from any address) before look-ups and cancels of that code by phone are refused for <see cref="CodeLockout"/>.</summary>
    public int FailedLookupsPerCode { get; set; } = 10;

    /// <summary>How long a code stays locked, and the window its wrong phones are counted in.</summary>
    public TimeSpan CodeLockout { get; set; } = TimeSpan.FromMinutes(15);
}
