using System.Globalization;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The PhoneDays table: what one phone (by its keyed hash, never the number) did on one festival
/// day, shared by every instance. Partition <c>{yyyyMMdd}-{first hex digit of the hash}</c>, so one
/// day's rows are in 16 partitions (a rush spreads over them, and erasing a day reads only those);
/// row <c>h-{hash}</c> the sessions it holds (<see cref="PhoneDayHolds"/>), <c>s-{hash}</c> the SMS
/// sent to it (<see cref="SmsBudget"/>).
/// </summary>
public static class PhoneDays
{
    public const string TableName = "PhoneDays";
    public const string HoldsPrefix = "h-";
    public const string SmsPrefix = "s-";

    public static string Partition(DateOnly day, string phoneHash) =>
        day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + phoneHash[..1];

    /// <summary>The 16 partitions of one day.</summary>
    public static IEnumerable<string> PartitionsOf(DateOnly day) =>
        "0123456789abcdef".Select(c => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + c);
}
