using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Applies Twilio's status callbacks (already authenticated) to SmsLog, moving forward only
/// (<see cref="SmsStatus.Rank"/>). A callback can come before the sender has recorded the SID
/// (Twilio answers the create and calls back at once): its status is parked on the SID's row and
/// the sender applies it right after recording the SID. The callback parks first and reads the
/// message second; the sender records first and reads the parked status second; whichever comes
/// last sees the other's write, so no callback is dropped.
/// </summary>
public sealed class SmsStatusUpdater(SmsLogStore log, TimeProvider clock, ILogger<SmsStatusUpdater> logger)
{
    /// <summary>Twilio's MessageStatus → ours; statuses on the way to the carrier all mean "Twilio has it" (sent).</summary>
    public static string? Map(string? twilioStatus) => twilioStatus?.ToLowerInvariant() switch
    {
        "accepted" or "scheduled" or "queued" or "sending" or "sent" => SmsStatus.Sent,
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

        if (SmsStatus.Rank(status) > SmsStatus.Rank(SmsStatus.Sent))
        {
            // "sent" needs no parking: recording the SID makes the message sent anyway.
            await log.ParkStatusAsync(sid, status, errorCode, cancellationToken);
        }

        var entry = await log.FindBySidAsync(sid, cancellationToken);
        if (entry is null || entry.TwilioSid != sid)
        {
            logger.LogInformation("Status {Status} for SID {Sid} kept until its message records the SID (or it is an earlier attempt's)", status, sid);
            return false;
        }

        return await ApplyAsync(entry, sid, status, errorCode, cancellationToken);
    }

    /// <summary>Called by the sender once the SID is on the message: the status of a callback that came first.</summary>
    public async Task<bool> ApplyParkedAsync(string sid, CancellationToken cancellationToken)
    {
        if (await log.GetSidAsync(sid, cancellationToken) is not { Status: { } status, MessageId: { } messageId } parked
            || await log.GetAsync(messageId, cancellationToken) is not { } entry || entry.TwilioSid != sid)
        {
            return false;
        }

        return await ApplyAsync(entry, sid, status, parked.ErrorCode, cancellationToken);
    }

    private async Task<bool> ApplyAsync(SmsLogEntry entry, string sid, string status, string? errorCode, CancellationToken cancellationToken)
    {
        var error = status is SmsStatus.Undelivered or SmsStatus.Failed
            ? $"carrier: {status}" + (string.IsNullOrEmpty(errorCode) ? "" : $" (Twilio error {errorCode})")
            : null;
        var (_, changed) = await log.UpdateAsync(entry.MessageId, e =>
            // Only the SID currently recorded counts: after a staff retry a late callback of the old SID changes nothing.
            e is null || e.TwilioSid != sid || SmsStatus.Rank(status) <= SmsStatus.Rank(e.Status)
                ? null
                : e with { Status = status, LastError = error ?? e.LastError, UpdatedAt = clock.GetUtcNow() },
            cancellationToken, entry);
        if (changed)
        {
            logger.LogInformation("SMS {MessageId} is {Status} ({Sid})", entry.MessageId, status, sid);
        }

        return changed;
    }
}
