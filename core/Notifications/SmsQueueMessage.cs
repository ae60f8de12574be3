using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FestivalReservations.Core.Json;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// The body of an sms queue message: one <see cref="OutboxMessage"/> as a JSON object, or the SMS of
/// one commit together, <c>{"messages":[...]}</c> (at most <see cref="MaxPerMessage"/>), so that a
/// transaction of thirty reservations costs one queue write, not thirty. The sender reads both.
/// Beside the SMS the body may carry <see cref="QueueTrace"/>: the W3C trace context of whoever
/// enqueued it (<c>traceparent</c>) and when (<c>enqueuedAt</c>), so that the send continues the
/// booking's trace and its queue age is measured; readers that do not know them skip them.
/// </summary>
public static class SmsQueueMessage
{
    /// <summary>SMS in one queue message: 32 records of ~250 bytes stay far below the 64 KiB limit after Base64.</summary>
    public const int MaxPerMessage = 32;

    private sealed record Batch(IReadOnlyList<OutboxMessage> Messages);

    public static string Write(OutboxMessage message) => JsonSerializer.Serialize(message, JsonPolicies.Stored);

    public static string Write(IReadOnlyList<OutboxMessage> messages)
    {
        if (messages.Count is 0 or > MaxPerMessage)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), messages.Count, $"A queue message holds 1 to {MaxPerMessage} SMS.");
        }

        return messages.Count == 1 ? Write(messages[0]) : JsonSerializer.Serialize(new Batch(messages), JsonPolicies.Stored);
    }

    /// <summary>The SMS of <paramref name="messages"/> with the trace context and time of their enqueueing.</summary>
    public static string Write(IReadOnlyList<OutboxMessage> messages, QueueTrace trace)
    {
        var body = JsonNode.Parse(Write(messages))!.AsObject();
        if (trace.TraceParent is { } parent)
        {
            body[TraceParentField] = parent;
        }

        body[EnqueuedAtField] = trace.EnqueuedAt;
        return body.ToJsonString(JsonPolicies.Stored);
    }

    private const string TraceParentField = "traceparent";
    private const string EnqueuedAtField = "enqueuedAt";

    /// <summary>The trace context and enqueue time a body carries (null fields when it carries none, or is no JSON object).</summary>
    public static QueueTrace? ReadTrace(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject root)
            {
                return null;
            }

            var parent = root[TraceParentField] is JsonValue p && p.TryGetValue<string>(out var text) ? text : null;
            DateTimeOffset? at = root[EnqueuedAtField] is JsonValue e && e.TryGetValue<string>(out var when)
                && DateTimeOffset.TryParse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed)
                ? parsed : null;
            return parent is null && at is null ? null : new QueueTrace(parent, at ?? default);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A record the sender can act on: every field there and a known kind.</summary>
    public static bool IsComplete([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] OutboxMessage? message) =>
        message is not null && !string.IsNullOrEmpty(message.MessageId) && !string.IsNullOrEmpty(message.SessionId)
        && !string.IsNullOrEmpty(message.ReservationCode) && SmsKind.All.Contains(message.Kind);

    /// <summary>The SMS records in a queue message body; null when it is not one (not JSON, or neither shape).</summary>
    public static IReadOnlyList<OutboxMessage?>? Read(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("messages", out var list))
            {
                return list.ValueKind == JsonValueKind.Array && list.GetArrayLength() is > 0 and <= MaxPerMessage
                    ? list.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Object ? m.Deserialize<OutboxMessage>(JsonPolicies.Stored) : null).ToList()
                    : null;
            }

            return [root.Deserialize<OutboxMessage>(JsonPolicies.Stored)];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Who enqueued an sms queue message (a W3C traceparent; null when no span was current) and when.</summary>
public sealed record QueueTrace(string? TraceParent, DateTimeOffset EnqueuedAt)
{
    /// <summary>The current span's context (W3C ids only) and <paramref name="now"/>.</summary>
    public static QueueTrace Current(DateTimeOffset now) => new(CurrentParent, now);

    /// <summary>The current span as a W3C traceparent; null when there is none (or it is not W3C).</summary>
    public static string? CurrentParent => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The enqueuer's span, for the span that handles the message; default when there is none or it does not parse.</summary>
    public ActivityContext Parent => ActivityContext.TryParse(TraceParent, null, out var context) ? context : default;
}
