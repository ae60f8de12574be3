namespace FestivalReservations.Core.Staff;

/// <summary>
/// What a staff device says about a check-in (all optional): when the code or ticket was scanned
/// (a scan made offline and sent later), which device scanned it, and the sessions this gate is
/// checking in (a scan for any other is refused with <c>wrong-session</c>, nothing changed).
/// </summary>
public sealed record CheckInScan
{
    public static readonly CheckInScan None = new();

    public DateTimeOffset? ScannedAt { get; init; }
    public string? Device { get; init; }
    public IReadOnlyList<string>? SessionIds { get; init; }
}
