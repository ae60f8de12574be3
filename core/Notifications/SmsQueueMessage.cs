using System.Text.Json;
using FestivalReservations.Core.Json;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// The body of an sms queue message: one <see cref="OutboxMessage"/> as a JSON object, or the SMS of
/// one commit together, <c>{"messages":[...]}</c> (at most <see cref="MaxPerMessage"/>), so that a
/// transaction of thirty reservations costs one queue write, not thirty. The sender reads both.
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
