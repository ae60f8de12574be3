using FestivalReservations.Core.Notifications.Sending;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace FestivalReservations.Core.Notifications.Twilio;

/// <summary>
/// Sends through Twilio's Messages API with the real SDK: To in E.164, From or (preferred)
/// MessagingServiceSid, the body, and StatusCallback when configured. Looks a message up in the
/// recipient's recent messages when an earlier create may have gone through unseen.
/// </summary>
public sealed class TwilioSmsSender(ITwilioRestClient client, IOptions<TwilioOptions> options) : ISmsSender
{
    /// <summary>Messages read per look-up: one page, newest of one recipient since the earlier attempt.</summary>
    public const int LookupPageSize = 50;

    private readonly ITwilioRestClient _client = client;
    private readonly TwilioOptions _options = options.Value;

    public string Name => UsesMessagingService
        ? "Twilio (messaging service)"
        : "Twilio (numeric sender)";

    private bool UsesMessagingService => !string.IsNullOrWhiteSpace(_options.MessagingServiceSid);

    public async Task<SmsSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var create = new CreateMessageOptions(new PhoneNumber(request.To)) { Body = request.Text };
        if (UsesMessagingService)
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
            ? throw SmsSendException.Unknown("Twilio accepted the request but returned no message SID")
            : new SmsSendResult(message.Sid);
    }

    /// <summary>
    /// Twilio's message list filtered by To and DateSent (on or after <paramref name="since"/>), the
    /// one with this body from our sender (number or messaging service). Trial accounts put a prefix
    /// before the body, so a body that ends with the text matches too.
    /// </summary>
    public async Task<SmsSendResult?> FindSentAsync(SmsSendRequest request, DateTimeOffset since, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<MessageResource> recent;
        try
        {
            var page = await MessageResource.ReadAsync(
                to: new PhoneNumber(request.To), dateSentAfter: since.UtcDateTime, pageSize: LookupPageSize, limit: LookupPageSize, client: _client);
            recent = [.. page];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw TwilioErrors.Classify(e);
        }

        var match = recent
            .Where(m => m.Body is { } body && body.EndsWith(request.Text, StringComparison.Ordinal) && FromUs(m))
            .OrderBy(m => m.DateCreated)
            .FirstOrDefault();
        return match?.Sid is { Length: > 0 } sid ? new SmsSendResult(sid) : null;
    }

    private bool FromUs(MessageResource message) => UsesMessagingService
        ? message.MessagingServiceSid == _options.MessagingServiceSid
        : message.From?.ToString() == _options.From;
}
