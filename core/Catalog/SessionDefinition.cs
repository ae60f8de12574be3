using System.Globalization;

namespace FestivalReservations.Core.Catalog;

/// <summary>One session of a program as the catalog defines it; seats taken live in its counter.</summary>
public sealed record SessionDefinition(
    string SessionId,
    string ProgramId,
    DateOnly Date,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Capacity,
    DateTimeOffset BookingOpensAt)
{
    /// <summary>The lottery's window when the session's seats are drawn (null: first come, first served).</summary>
    public Lotteries.LotteryWindow? Lottery { get; init; }

    /// <summary>Booking closes when the session starts.</summary>
    public DateTimeOffset BookingClosesAt => Start;

    /// <summary>{programId}.{yyyyMMdd}.{HHmm} in festival time.</summary>
    public static string IdFor(string programId, DateOnly date, TimeOnly start) =>
        string.Create(CultureInfo.InvariantCulture, $"{programId}.{date:yyyyMMdd}.{start:HHmm}");
}
