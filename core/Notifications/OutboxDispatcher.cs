using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Moves committed outbox records onto the sms queue and then deletes them. If the process dies
/// between commit and enqueue, the record stays in its session and the sweep sends it later.
/// </summary>
public sealed class OutboxDispatcher(StorageTables tables, ILogger<OutboxDispatcher> logger)
{
    private readonly OutboxStore _rows = new(tables);

    /// <summary>Test hook: simulates a crash after commit and before enqueue.</summary>
    public Func<OutboxMessage, bool>? DropBeforeEnqueue { get; set; }

    public async Task DispatchAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (DropBeforeEnqueue?.Invoke(message) == true)
        {
            return;
        }

        try
        {
            await tables.SmsQueue.SendMessageAsync(SmsQueueMessage.Write(message), cancellationToken);
            await _rows.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (a network timeout too, but not our caller's cancellation), the
            // change is committed and the outbox row is still there: the sweep will send it.
            logger.LogWarning(e, "Could not dispatch SMS {MessageId} of {SessionId} now; the sweep will", message.MessageId, message.SessionId);
        }
    }

    /// <summary>
    /// Dispatches the messages of one committed transaction (all in one session): together onto the
    /// queue (one queue message per <see cref="SmsQueueMessage.MaxPerMessage"/>), then the outbox rows
    /// of those on the queue deleted together in one transaction. A row is only deleted after its
    /// message is on the queue; whatever fails stays for the sweep.
    /// </summary>
    public async Task DispatchBatchAsync(string sessionId, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var kept = messages.Where(m => DropBeforeEnqueue?.Invoke(m) != true).ToList();
        foreach (var chunk in kept.Chunk(SmsQueueMessage.MaxPerMessage))
        {
            try
            {
                await tables.SmsQueue.SendMessageAsync(SmsQueueMessage.Write(chunk), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not dispatch {Count} SMS of {SessionId} now; the sweep will", chunk.Length, sessionId);
                continue;
            }

            try
            {
                await _rows.DeleteAllAsync(sessionId, chunk, cancellationToken);
            }
            catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
            {
                // One row already gone (the sweep was quicker) fails them all: delete one by one.
                foreach (var message in chunk)
                {
                    await DeleteQuietlyAsync(message, cancellationToken);
                }
            }
        }
    }

    private async Task DeleteQuietlyAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _rows.DeleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            // Sent already; the sweep may send it again, and the message id keeps that to one SMS.
            logger.LogWarning("Could not delete outbox row {MessageId} of {SessionId}: {Reason}", message.MessageId, message.SessionId,
                e is Azure.RequestFailedException failed ? $"HTTP {failed.Status}" : e.GetType().Name);
        }
    }
}
