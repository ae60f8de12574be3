namespace FestivalReservations.Core.Notifications.Sending;

/// <summary>
/// A send that did not go through, or that we cannot tell about. Permanent: the provider refused
/// this message for good (bad number, unsubscribed, ...): record it as failed and do not retry.
/// Transient: the provider said no for now (rate limited): let the queue try again.
/// <see cref="OutcomeUnknown"/>: the request may have reached the provider and created the message
/// (a timeout, a reset connection, a 5xx after the request was sent); the next attempt looks for
/// it before sending again. <see cref="Error"/> never holds a phone number.
/// </summary>
public sealed class SmsSendException(bool permanent, string error, Exception? inner = null, bool outcomeUnknown = false)
    : Exception(error, inner)
{
    public bool Permanent { get; } = permanent;

    public bool OutcomeUnknown { get; } = outcomeUnknown;

    public string Error { get; } = error;

    public static SmsSendException Transient(string error, Exception? inner = null) => new(false, error, inner);

    public static SmsSendException Unknown(string error, Exception? inner = null) => new(false, error, inner, outcomeUnknown: true);

    public static SmsSendException Refused(string error, Exception? inner = null) => new(true, error, inner);
}
