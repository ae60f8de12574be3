using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The SMS one session transaction owes, kept in one row of its partition (RK <c>o-{changeId}</c>),
/// so that a transaction of thirty reservations writes one outbox row, not thirty.
/// <see cref="TraceParent"/>: the span that committed it (W3C), so that SMS the sweep sends later
/// still continue the booking's trace.
/// </summary>
public sealed record OutboxRow(string SessionId, string ChangeId, IReadOnlyList<OutboxMessage> Messages, string? TraceParent = null)
{
    public string RowKey => SessionRows.Outbox(ChangeId);

    /// <summary>When its earliest message was decided: what the sweep's age and the outbox index go by.</summary>
    public DateTimeOffset CreatedAt => Messages.Min(m => m.CreatedAt);
}

/// <summary>Maps an <see cref="OutboxRow"/> to its entity and back; columns Messages (JSON), CreatedAt, Count, TraceParent.</summary>
public static class OutboxRows
{
    public const string MessagesColumn = "Messages";
    public const string TraceParentColumn = "TraceParent";

    /// <summary>The outbox row of the transaction holding <paramref name="range"/> of the steps, in the current span's trace; null when it owes no SMS.</summary>
    public static OutboxRow? Of(string sessionId, IReadOnlyList<SessionStep> steps, StepRange range, string changeId)
    {
        var messages = steps.Skip(range.Start).Take(range.Count).SelectMany(s => s.Events).OfType<SmsOwed>().Select(s => s.Message).ToList();
        return messages.Count == 0 ? null : new OutboxRow(sessionId, changeId, messages, QueueTrace.CurrentParent);
    }

    public static TableEntity ToEntity(OutboxRow row) => new(row.SessionId, row.RowKey)
    {
        [MessagesColumn] = JsonSerializer.Serialize(row.Messages, JsonPolicies.Stored),
        ["CreatedAt"] = row.CreatedAt,
        ["Count"] = row.Messages.Count,
        [TraceParentColumn] = row.TraceParent,
    };

    /// <summary>A row as written; one left by a version that wrote a row per SMS (MessageId, Kind... columns) reads as a row of one.</summary>
    public static OutboxRow FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey[SessionRows.OutboxPrefix.Length..],
        e.GetString(MessagesColumn) is { } json
            ? JsonSerializer.Deserialize<List<OutboxMessage>>(json, JsonPolicies.Stored) ?? []
            : [new OutboxMessage(e.GetString("MessageId"), e.PartitionKey, e.GetString("ReservationCode"), e.GetString("Kind"),
                e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch)],
        e.GetString(TraceParentColumn));
}
