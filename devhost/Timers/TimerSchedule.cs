using System.Globalization;
using Cronos;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Timers;

/// <summary>
/// A timer trigger's schedule: NCRONTAB with seconds (sec min hour day month dow) as Functions
/// writes it, a 5-field cron, or a TimeSpan interval (hh:mm:ss); %Setting% is read from
/// configuration. Occurrences are in UTC.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CronExpression? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    /// <summary>The schedule after %Setting% expansion.</summary>
    public string Expression { get; }

    public static TimerSchedule Parse(string schedule, IConfiguration configuration, string functionName)
    {
        var expression = SettingExpander.Expand(schedule, configuration, functionName).Trim();
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            return fields switch
            {
                6 => new TimerSchedule(expression, CronExpression.Parse(expression, CronFormat.IncludeSeconds), null),
                5 => new TimerSchedule(expression, CronExpression.Parse(expression, CronFormat.Standard), null),
                1 when TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero
                    => new TimerSchedule(expression, null, interval),
                _ => throw new FormatException("expected 6 NCRONTAB fields (sec min hour day month dow) or an hh:mm:ss interval"),
            };
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"Function '{functionName}' has schedule '{expression}' that is not valid NCRONTAB: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Function '{functionName}' has schedule '{expression}': {ex.Message}.", ex);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _interval is { } interval ? after + interval : _cron!.GetNextOccurrence(after.ToUniversalTime(), TimeZoneInfo.Utc);
}
