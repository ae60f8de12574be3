using FestivalReservations.Core.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Sms;

/// <summary>
/// 10:00 KST (01:00 UTC; Korea has no daylight saving) every day; on festival days (per the
/// catalog and the app's clock) it queues one reminder per confirmed reservation of the day.
/// Daily rather than Sundays only: the catalog (which staff can replace) decides the days.
/// </summary>
public sealed class SendReminders(ReminderScheduler reminders)
{
    [Function(nameof(SendReminders))]
    public Task Run([TimerTrigger("0 0 1 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        reminders.QueueTodaysRemindersAsync(cancellationToken);
}
