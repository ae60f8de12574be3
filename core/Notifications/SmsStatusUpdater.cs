using Microsoft.Extensions.Logging;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Notifications;

/// <summary>Applies Twilio's status callbacks (already authenticated) to SmsLog, moving forward only.</summary>
public sealed class SmsStatusUpdater(SmsLogStore log, TimeProvider clock, ILogger<SmsStatusUpdater> logger)
{
    /// <summary>Twilio's MessageStatus → ours; statuses on the way (queued, sending, sent) change nothing.</summary>
    public static string? Map(string? twilioStatus) => twilioStatus?.ToLowerInvariant() switch
    {
        "delivered" or "read" => SmsStatus.Delivered,
        "undelivered" => SmsStatus.Undelivered,
        "failed" or "canceled" => SmsStatus.Failed,
        _ => null,
    };

    /// <returns>True when SmsLog changed.</returns>
    public async Task<bool> ApplyAsync(string sid, string? twilioStatus, string? errorCode, CancellationToken cancellationToken)
    {
        var status = Map(twilioStatus);
        if (status is null)
        {
            return false;
        }

        var entry = await log.FindBySidAsync(sid, cancellationToken);
        // Only the SID currently recorded counts: after a staff retry a late callback of the old SID changes nothing.
        if (entry is null || entry.TwilioSid != sid)
        {
            logger.LogInformation("Status callback for unknown SID {Sid} ({Status}) ignored", sid, status);
            return false;
        }

        if (entry.Status is SmsStatus.Delivered || entry.Status == status)
        {
            return false;
        }

        var error = status == SmsStatus.Delivered ? null : $"carrier: {status}" + (string.IsNullOrEmpty(errorCode) ? "" : $" (Twilio error {errorCode})");
        var updated = await log.TryWriteAsync(entry with { Status = status, LastError = error ?? entry.LastError, UpdatedAt = clock.GetUtcNow() }, cancellationToken);
        if (updated is null)
        {
            // Changed under us (another callback): Twilio does not retry callbacks, so read again once.
            return await ApplyAsync(sid, twilioStatus, errorCode, cancellationToken);
        }

        logger.LogInformation("SMS {MessageId} is {Status} ({Sid})", entry.MessageId, status, sid);
        return true;
    }
}
