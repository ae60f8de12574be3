using FestivalReservations.Core.Phones;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications.Sending;

/// <summary>
/// Stands in for Twilio when Twilio:AccountSid is empty (local runs): writes one masked line per
/// message and answers with a fake SID, so SmsLog and the staff list behave as with Twilio.
/// The text carries no name, so logging it is safe.
/// </summary>
public sealed class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public const string SidPrefix = "LOG";

    public string Name => "logging sender (Twilio:AccountSid is empty; messages are written to the log, not sent)";

    public Task<SmsSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken)
    {
        logger.LogInformation("SMS {Kind} to {PhoneMasked} ({Language}): {Text}",
            request.Kind, KoreanMobile.Mask(request.To), request.Language, request.Text);
        return Task.FromResult(new SmsSendResult(SidPrefix + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Nothing to look up: a log line has no reply to lose (an attempt that died mid-way is written again).</summary>
    public Task<SmsSendResult?> FindSentAsync(SmsSendRequest request, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<SmsSendResult?>(null);
}
