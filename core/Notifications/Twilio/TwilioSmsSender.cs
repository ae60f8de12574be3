using FestivalReservations.Core.Notifications.Sending;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace FestivalReservations.Core.Notifications.Twilio;

/// <summary>
/// Sends through Twilio's Messages API with the real SDK: To in E.164, From or (preferred)
/// MessagingServiceSid, the body, and StatusCallback when configured.
/// </summary>
public sealed class TwilioSmsSender(ITwilioRestClient client, IOptions<TwilioOptions> options) : ISmsSender
{
    private readonly ITwilioRestClient _client = client;
    private readonly TwilioOptions _options = options.Value;

    public string Name => _options.MessagingServiceSid is { Length: > 0 }
        ? "Twilio (messaging service)"
        : "Twilio (numeric sender)";

    public async Task<SmsSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var create = new CreateMessageOptions(new PhoneNumber(request.To)) { Body = request.Text };
        if (!string.IsNullOrWhiteSpace(_options.MessagingServiceSid))
        {
            create.MessagingServiceSid = _options.MessagingServiceSid;
        }
        else
        {
            create.From = new PhoneNumber(_options.From);
        }

        if (Uri.TryCreate(_options.StatusCallbackUrl, UriKind.Absolute, out var callback))
        {
            create.StatusCallback = callback;
        }

        MessageResource message;
        try
        {
            message = await MessageResource.CreateAsync(create, _client);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw TwilioErrors.Classify(e);
        }

        return string.IsNullOrEmpty(message?.Sid)
            ? throw SmsSendException.Transient("Twilio accepted the request but returned no message SID")
            : new SmsSendResult(message.Sid);
    }
}
