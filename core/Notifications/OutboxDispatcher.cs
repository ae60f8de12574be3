using System.Text.Json;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Moves committed outbox records onto the sms queue and then deletes them. If the process dies
/// between commit and enqueue, the record stays in its session and the sweep sends it later.
/// </summary>
public sealed class OutboxDispatcher(StorageTables tables, ILogger<OutboxDispatcher> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
            await tables.SmsQueue.SendMessageAsync(JsonSerializer.Serialize(message, Json), cancellationToken);
            await tables.Sessions.DeleteEntityAsync(message.SessionId, SessionRows.Outbox(message.MessageId),
                Azure.ETag.All, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The outbox row is still there; the sweep will send it.
            logger.LogWarning(e, "Could not dispatch SMS {MessageId} of {SessionId} now; the sweep will", message.MessageId, message.SessionId);
        }
    }
}
