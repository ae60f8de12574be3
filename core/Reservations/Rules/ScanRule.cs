using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Staff;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>
/// A staff scan: its time is at most a day old and not in the future (a device clock a little
/// ahead is forgiven), its device name short and printable, and the reservation it names belongs
/// to one of the sessions the gate checks in, when the gate named any.
/// </summary>
public static class ScanRule
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    public const int MaxDeviceLength = 40;
    public const int MaxSessions = 64;

    public static DomainError? Validate(CheckInScan scan, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (scan.ScannedAt is { } at && (at > now + ClockSkew || at < now - MaxAge))
        {
            errors["scannedAt"] = ["A scan must be from the last 24 hours and not in the future."];
        }

        if (scan.Device is { } device && (device.Trim().Length is 0 or > MaxDeviceLength || device.Any(char.IsControl)))
        {
            errors["device"] = [$"A device name is 1-{MaxDeviceLength} characters without control characters."];
        }

        if (scan.SessionIds is { } ids && (ids.Count > MaxSessions || ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > 100)))
        {
            errors["sessionIds"] = [$"At most {MaxSessions} session ids."];
        }

        return errors.Count > 0 ? DomainError.Validation(errors) : null;
    }

    /// <summary>Refuses a reservation of another session than the gate's (none named: any session).</summary>
    public static DomainError? CheckSession(CheckInScan scan, string sessionId, Festival festival)
    {
        if (scan.SessionIds is not { Count: > 0 } ids || ids.Contains(sessionId, StringComparer.Ordinal))
        {
            return null;
        }

        var session = festival.FindSession(sessionId);
        return new DomainError(ErrorCode.WrongSession, "This reservation is for another session.")
        {
            Extensions = new Dictionary<string, object?>
            {
                ["sessionId"] = sessionId,
                ["start"] = session is null ? "" : festival.Time.Format(session.Start),
            },
        };
    }
}
