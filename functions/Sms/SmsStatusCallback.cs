using System.Collections.Specialized;
using System.Text;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace FestivalReservations.Functions.Sms;

/// <summary>
/// Twilio's status callback. Anonymous, but rate limited per address, and refused with 403 (code
/// forbidden) unless X-Twilio-Signature validates against Twilio:AuthToken, the URL Twilio called
/// (Twilio:StatusCallbackUrl when set: behind a proxy the URL seen here differs) and the form. A
/// request without a signature is refused before its body is read; a form body is read to 16 KiB at
/// most, however it is sent (chunked included).
/// </summary>
public sealed class SmsStatusCallback(SmsStatusUpdater updater, ClientRateLimiter limiter, IOptions<TwilioOptions> options, ILogger<SmsStatusCallback> logger)
{
    public const string SignatureHeader = "X-Twilio-Signature";
    public const string FormMediaType = "application/x-www-form-urlencoded";

    [Function(nameof(SmsStatusCallback))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sms/status")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(SmsStatusCallback), async () =>
        {
            if (await ClientLimits.RefusalAsync(limiter, LimitedAction.SmsStatus, request, cancellationToken) is { } tooMany)
            {
                return tooMany;
            }

            var token = options.Value.AuthToken;
            var signature = request.Headers[SignatureHeader].ToString();
            if (string.IsNullOrEmpty(token) || signature.Length == 0)
            {
                return Unsigned();
            }

            if (RequestBody.MediaTypeRefusal(request, FormMediaType) is { } unsupported)
            {
                return Problems.For(unsupported);
            }

            var body = await RequestBody.ReadCappedAsync(request, cancellationToken);
            if (!body.IsSuccess)
            {
                return Problems.For(body.Error);
            }

            if (ReadForm(body.Value) is not { } form)
            {
                return Problems.For(DomainError.Validation("body", "The body is not a form Twilio would send."));
            }

            var url = string.IsNullOrWhiteSpace(options.Value.StatusCallbackUrl) ? request.GetEncodedUrl() : options.Value.StatusCallbackUrl;
            var algorithm = RequestValidator.GetSignatureAlgorithm(request.Headers[RequestValidator.SignatureSettingsHeader].ToString());
            if (!new RequestValidator(token).Validate(url, form, signature, algorithm))
            {
                return Unsigned();
            }

            var sid = form["MessageSid"] ?? form["SmsSid"];
            if (!string.IsNullOrEmpty(sid))
            {
                await updater.ApplyAsync(sid, form["MessageStatus"] ?? form["SmsStatus"], form["ErrorCode"], cancellationToken);
            }

            return new ApiResult(StatusCodes.Status204NoContent, null);
        });

    private ApiResult Unsigned()
    {
        logger.LogWarning("SMS status callback refused: missing or wrong {Header}", SignatureHeader);
        return Problems.For(ErrorCode.Forbidden, "The request is not signed by Twilio.");
    }

    /// <summary>The form's fields, or null when it is no form (FormReader's own limits: 1,024 fields, 2 KiB keys).</summary>
    private static NameValueCollection? ReadForm(ReadOnlyMemory<byte> body)
    {
        try
        {
            var form = new NameValueCollection();
            using var reader = new FormReader(Encoding.UTF8.GetString(body.Span));
            foreach (var (key, values) in reader.ReadForm())
            {
                foreach (var value in values)
                {
                    form.Add(key, value);
                }
            }

            return form;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
