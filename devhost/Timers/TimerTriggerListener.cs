using FestivalReservations.DevHost.Invocation;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.DevHost.Timers;

/// <summary>Fires one timer trigger on its schedule, in real (system) time; failures are logged and the next occurrence still fires.</summary>
public sealed class TimerTriggerListener(
    FunctionEntry function,
    TimerSchedule schedule,
    DevHostFunctions functions,
    ILogger logger) : BackgroundService
{
    private readonly FunctionEntry _function = function;
    private readonly TimerSchedule _schedule = schedule;
    private readonly DevHostFunctions _functions = functions;
    private readonly ILogger _logger = logger;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? last = null;
        if (_function.Trigger.RunOnStartup)
        {
            last = await FireAsync(last, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = TimeProvider.System.GetUtcNow();
            if (_schedule.Next(now) is not { } next)
            {
                _logger.LogWarning("Timer {Function}: schedule '{Schedule}' has no further occurrence", _function.Name, _schedule.Expression);
                return;
            }

            try
            {
                await Task.Delay(next - now, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            last = await FireAsync(last, stoppingToken);
        }
    }

    private async Task<DateTimeOffset> FireAsync(DateTimeOffset? last, CancellationToken stoppingToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var timer = new TimerInfo
        {
            IsPastDue = false,
            ScheduleStatus = new ScheduleStatus
            {
                Last = (last ?? now).UtcDateTime,
                Next = (_schedule.Next(now) ?? now).UtcDateTime,
                LastUpdated = now.UtcDateTime,
            },
        };

        try
        {
            await _functions.InvokeAsync(_function, timer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Timer function {Function} failed", _function.Name);
        }

        return now;
    }
}
