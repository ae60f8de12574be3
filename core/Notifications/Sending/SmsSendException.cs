namespace FestivalReservations.Core.Notifications.Sending;

/// <summary>
/// A send that did not happen. Permanent: the provider refused this message for good (bad number,
/// unsubscribed, ...): record it as failed and do not retry. Transient: rate limits, provider
/// outages, the network: let the queue try again. <see cref="Error"/> never holds a phone number.
/// </summary>
public sealed class SmsSendException(bool permanent, string error, Exception? inner = null)
    : Exception(error, inner)
{
    public bool Permanent { get; } = permanent;

    public string Error { get; } = error;

    public static SmsSendException Transient(string error, Exception? inner = null) => new(false, error, inner);

    public static SmsSendException Refused(string error, Exception? inner = null) => new(true, error, inner);
}
