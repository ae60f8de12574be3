namespace FestivalReservations.Core.Abuse;

/// <summary>
/// Per-address limits on the routes that cost storage work (reserve, look up, cancel, Twilio's status
/// callback). Korean carriers put thousands of phones behind one IPv4 address (carrier-grade NAT), so
/// the budgets catch floods, not crowds: per-phone and per-code limits do the fine-grained work.
/// Each budget holds across all instances (<see cref="SharedAddressBudget"/>); each instance also
/// keeps it in memory, the cheap first gate.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>The most proxies that may be trusted to append to X-Forwarded-For.</summary>
    public const int MaxTrustedProxyHops = 5;

    /// <summary>Reservation attempts per client address per minute.</summary>
    public int ReservationsPerMinute { get; set; } = 1200;

    /// <summary>Look-ups and cancels per client address per minute.</summary>
    public int LookupsPerMinute { get; set; } = 1200;

    /// <summary>Failed look-ups (wrong code or phone) per client address per hour before look-ups are refused.</summary>
    public int FailedLookupsPerHour { get; set; } = 600;

    /// <summary>Twilio status callbacks per client address per minute (Twilio calls from a few addresses, up to three callbacks an SMS).</summary>
    public int StatusCallbacksPerMinute { get; set; } = 3000;

    /// <summary>
    /// How many proxies in front of the app append to X-Forwarded-For: 0 ignores the header (local
    /// runs: anyone can send one), 1 takes its last entry (Azure's front end), N the Nth from the end.
    /// </summary>
    public int TrustedProxyHops { get; set; }

    public int PerMinute(LimitedAction action) => action switch
    {
        LimitedAction.Reserve => ReservationsPerMinute,
        LimitedAction.Lookup => LookupsPerMinute,
        LimitedAction.SmsStatus => StatusCallbacksPerMinute,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Wrong phones for one code (from any address) before look-ups and cancels of that code by phone are refused for <see cref="CodeLockout"/>.</summary>
    public int FailedLookupsPerCode { get; set; } = 10;

    /// <summary>How long a code stays locked, and the window its wrong phones are counted in.</summary>
    public TimeSpan CodeLockout { get; set; } = TimeSpan.FromMinutes(15);
}
