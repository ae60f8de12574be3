using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Moves committed outbox rows onto the sms queue and then deletes them: each row holds the SMS of
/// one session transaction. If the process dies between commit and enqueue, or between enqueue and
/// delete, the row stays in its session and the sweep sends its SMS later (again, perhaps: the
/// sender keeps one SMS per message id).
/// </summary>
public sealed class OutboxDispatcher(StorageTables tables, ILogger<OutboxDispatcher> logger, TimeProvider? clock = null)
{
    private readonly OutboxStore _rows = new(tables);

    /// <summary>Test hook: simulates a crash after commit and before enqueue (of the row holding a message it picks).</summary>
    public Func<OutboxMessage, bool>? DropBeforeEnqueue { get; set; }

    /// <summary>The rows of committed transactions, one after another.</summary>
    public async Task DispatchAsync(IEnumerable<OutboxRow> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            await DispatchAsync(row, cancellationToken);
        }
    }

    /// <summary>
    /// The row's SMS onto the queue (one queue message per <see cref="SmsQueueMessage.MaxPerMessage"/>),
    /// then the row deleted: only once all of them are on the queue. Whatever fails (but our caller's
    /// cancellation) is logged and left for the sweep.
    /// </summary>
    /// <returns>Whether the row is gone.</returns>
    public async Task<bool> DispatchAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        if (row.Messages.Any(m => DropBeforeEnqueue?.Invoke(m) == true))
        {
            return false;
        }

        try
        {
            foreach (var chunk in row.Messages.Chunk(SmsQueueMessage.MaxPerMessage))
            {
                // The trace of the commit that owes them, also when the sweep sends them long after.
                var now = (clock ?? TimeProvider.System).GetUtcNow();
                await tables.SmsQueue.SendMessageAsync(SmsQueueMessage.Write(chunk, new QueueTrace(row.TraceParent ?? QueueTrace.CurrentParent, now)), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (a network timeout too), the change is committed and the outbox
            // row is still there: the sweep will send it.
            logger.LogWarning(e, "Could not dispatch {Count} SMS of {SessionId} now; the sweep will", row.Messages.Count, row.SessionId);
            return false;
        }

        try
        {
            await _rows.DeleteAsync(row, cancellationToken);
            return true;
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            // Sent already; the sweep may send them again, and the message ids keep that to one SMS each.
            logger.LogWarning("Could not delete outbox row {ChangeId} of {SessionId}: {Reason}", row.ChangeId, row.SessionId,
                e is Azure.RequestFailedException failed ? $"HTTP {failed.Status}" : e.GetType().Name);
            return false;
        }
    }
}
