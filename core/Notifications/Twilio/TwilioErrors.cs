using System.Globalization;
using System.Net;
using FestivalReservations.Core.Notifications.Sending;
using Twilio.Exceptions;

namespace FestivalReservations.Core.Notifications.Twilio;

/// <summary>
/// Sorts Twilio's failures into permanent (record failed, never retry), transient (Twilio said no
/// for now: the queue retries) and unknown outcome (the request may have created the message: a
/// timeout, a reset, a 5xx; the queue retries and the next attempt looks for it first). The
/// recorded error is our own wording with Twilio's code and HTTP status: Twilio's own message can
/// quote the phone number, so it is never stored or logged.
/// </summary>
public static class TwilioErrors
{
    public const int TooManyRequests = 20429;

    /// <summary>Codes that mean "this message to this number will never go out" whatever the HTTP status.</summary>
    public static readonly IReadOnlyDictionary<int, string> Permanent = new Dictionary<int, string>
    {
        [21211] = "invalid 'To' number",
        [21214] = "'To' number cannot be reached",
        [21408] = "sending to this region is not enabled",
        [21610] = "recipient unsubscribed (STOP)",
        [21612] = "no route to this number from the sender",
        [21614] = "'To' number is not a mobile number",
        [21606] = "the 'From' number cannot send SMS",
        [21608] = "trial accounts send to verified numbers only",
        [21617] = "message body too long",
    };

    public static SmsSendException Classify(Exception exception) => exception switch
    {
        SmsSendException already => already,
        ApiException api => Classify(api.Code, api.Status == 0 ? StatusFromMessage(api.Message) : api.Status, api),
        ApiStandardException standard => Classify(standard.Code, standard.Status, standard),
        ApiConnectionException => SmsSendException.Unknown("Twilio unreachable (network or timeout)", exception),
        HttpRequestException or TimeoutException or TaskCanceledException =>
            SmsSendException.Unknown("Twilio unreachable (network or timeout)", exception),
        _ => SmsSendException.Unknown($"unexpected {exception.GetType().Name} while sending", exception),
    };

    public static SmsSendException Classify(int code, int status, Exception? inner = null)
    {
        var what = Permanent.TryGetValue(code, out var known) ? known : "refused";
        var error = string.Create(CultureInfo.InvariantCulture, $"Twilio {code}, HTTP {status}: ");
        if (status == 429 || code == TooManyRequests)
        {
            return SmsSendException.Transient(error + "rate limited", inner);
        }

        if (Permanent.ContainsKey(code))
        {
            return SmsSendException.Refused(error + what, inner);
        }

        if (status >= 500 || status == 0)
        {
            // 0: no status we could read (an error body that is not Twilio's JSON): assume an outage.
            // A 5xx can come after Twilio created the message: the outcome is unknown.
            return SmsSendException.Unknown(error + "Twilio error", inner);
        }

        return status is >= 400 and < 500
            ? SmsSendException.Refused(error + what, inner)
            : SmsSendException.Unknown(error + "unexpected answer", inner);
    }

    /// <summary>
    /// When an error body is not Twilio's JSON the SDK throws ApiException("Api Error: {HttpStatusCode} - ...")
    /// with Status 0; recover the status from that text.
    /// </summary>
    public static int StatusFromMessage(string? message)
    {
        const string prefix = "Api Error: ";
        if (message is null || !message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var name = message[prefix.Length..].Split(' ', 2)[0];
        return Enum.TryParse<HttpStatusCode>(name, ignoreCase: false, out var status) && Enum.IsDefined(status) ? (int)status : 0;
    }
}
