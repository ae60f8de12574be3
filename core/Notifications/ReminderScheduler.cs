using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// On the morning of a festival day (festival time, by the app's clock) queues one reminder per
/// confirmed reservation of that day's sessions. The message id is reminder-{code}: queued twice
/// (the timer fired twice, two instances) it is still sent once, SmsLog dedupes.
/// </summary>
public sealed class ReminderScheduler(
    CatalogService catalog,
    SessionStore sessions,
    StorageTables tables,
    TimeProvider clock,
    ILogger<ReminderScheduler> logger)
{
    public const string MessageIdPrefix = "reminder-";

    public static string MessageIdFor(string code) => MessageIdPrefix + code;

    /// <returns>How many reminders were queued (0 when today is not a festival day).</returns>
    public async Task<int> QueueTodaysRemindersAsync(CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var today = festival.Time.DateOf(now);
        if (!festival.Dates.Contains(today))
        {
            logger.LogInformation("{Date} is not a festival day: no reminders", FestivalTimeText(today));
            return 0;
        }

        var count = 0;
        await Parallel.ForEachAsync(
            festival.Sessions.Where(s => s.Date == today && s.Start > now),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (session, ct) =>
            {
                foreach (var reservation in await sessions.ListReservationsAsync(session.SessionId, ct))
                {
                    // Opted out on the ticket page: Korean SMS cannot be answered with STOP.
                    if (reservation.Status != ReservationStatus.Confirmed || reservation.RemindersOff)
                    {
                        continue;
                    }

                    var message = new OutboxMessage(MessageIdFor(reservation.Code), session.SessionId, reservation.Code, SmsKind.Reminder, now);
                    await tables.SmsQueue.SendMessageAsync(SmsQueueMessage.Write([message], QueueTrace.Current(clock.GetUtcNow())), ct);
                    Interlocked.Increment(ref count);
                }
            });

        logger.LogInformation("Queued {Count} reminder(s) for {Date}", count, FestivalTimeText(today));
        return count;
    }

    private static string FestivalTimeText(DateOnly date) => Time.FestivalTime.FormatDate(date);
}
