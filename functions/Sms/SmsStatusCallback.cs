using System.Collections.Specialized;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace FestivalReservations.Functions.Sms;

/// <summary>
/// Twilio's status callback. Anonymous, but refused with 403 (code forbidden) unless
/// X-Twilio-Signature validates against Twilio:AuthToken, the URL Twilio called
/// (Twilio:StatusCallbackUrl when set: behind a proxy the URL seen here differs) and the form.
/// </summary>
public sealed class SmsStatusCallback(SmsStatusUpdater updater, IOptions<TwilioOptions> options, ILogger<SmsStatusCallback> logger)
{
    public const string SignatureHeader = "X-Twilio-Signature";

    [Function(nameof(SmsStatusCallback))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sms/status")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(SmsStatusCallback), async () =>
        {
            if (request.ContentLength > JsonBody.MaxBytes)
            {
                return Problems.For(ErrorCode.PayloadTooLarge, $"Request bodies are limited to {JsonBody.MaxBytes / 1024} KiB.");
            }

            var form = new NameValueCollection();
            if (request.HasFormContentType)
            {
                foreach (var (key, values) in await request.ReadFormAsync(cancellationToken))
                {
                    foreach (var value in values)
                    {
                        form.Add(key, value);
                    }
                }
            }

            var token = options.Value.AuthToken;
            var signature = request.Headers[SignatureHeader].ToString();
            var url = string.IsNullOrWhiteSpace(options.Value.StatusCallbackUrl) ? request.GetEncodedUrl() : options.Value.StatusCallbackUrl;
            var algorithm = RequestValidator.GetSignatureAlgorithm(request.Headers[RequestValidator.SignatureSettingsHeader].ToString());
            if (string.IsNullOrEmpty(token) || signature.Length == 0
                || !new RequestValidator(token).Validate(url, form, signature, algorithm))
            {
                logger.LogWarning("SMS status callback refused: missing or wrong {Header}", SignatureHeader);
                return Problems.For(ErrorCode.Forbidden, "The request is not signed by Twilio.");
            }

            var sid = form["MessageSid"] ?? form["SmsSid"];
            if (!string.IsNullOrEmpty(sid))
            {
                await updater.ApplyAsync(sid, form["MessageStatus"] ?? form["SmsStatus"], form["ErrorCode"], cancellationToken);
            }

            return new ApiResult(StatusCodes.Status204NoContent, null);
        });
}
