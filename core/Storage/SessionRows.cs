using System.Globalization;

namespace FestivalReservations.Core.Storage;

/// <summary>Row keys inside a session's partition.</summary>
public static class SessionRows
{
    public const string Counter = "session";
    public const string ReservationPrefix = "r-";
    public const string PhoneMarkerPrefix = "p-";
    public const string WaitlistPrefix = "w-";
    public const string OutboxPrefix = "o-";
    public const string AllotmentPrefix = "a-";

    /// <summary>An allotment row: "a-00" to "a-99".</summary>
    public static string Allotment(int index) => AllotmentPrefix + index.ToString("D2", CultureInfo.InvariantCulture);

    public static string Reservation(string code) => ReservationPrefix + code;

    public static string PhoneMarker(string phoneHash) => PhoneMarkerPrefix + phoneHash;

    /// <summary>Zero-padded so that row-key order is waitlist order.</summary>
    public static string Waitlist(long seq) => WaitlistPrefix + seq.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>The outbox row of one transaction, by its change id (<see cref="OutboxRows"/>).</summary>
    public static string Outbox(string changeId) => OutboxPrefix + changeId;

    /// <summary>The exclusive upper bound of a prefix range ("r-" → "r.").</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
