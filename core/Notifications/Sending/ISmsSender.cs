namespace FestivalReservations.Core.Notifications.Sending;

/// <summary>One text to one phone. <see cref="To"/> is E.164 and goes to the sender only, never to a log.</summary>
public sealed record SmsSendRequest(string MessageId, string Kind, string Language, string To, string Text);

/// <summary>What the provider answered: its message SID (a later status callback names it).</summary>
public sealed record SmsSendResult(string Sid);

/// <summary>Sends one SMS; failures are <see cref="SmsSendException"/>s that say whether trying again can help.</summary>
public interface ISmsSender
{
    /// <summary>For the start-up line that says which sender is in use.</summary>
    string Name { get; }

    Task<SmsSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The message the provider already has for this request (same recipient, text and sender),
    /// created at or after <paramref name="since"/>; null when there is none. Asked before sending
    /// again after an attempt whose outcome is unknown, since Twilio has no idempotency key.
    /// </summary>
    Task<SmsSendResult?> FindSentAsync(SmsSendRequest request, DateTimeOffset since, CancellationToken cancellationToken);
}
