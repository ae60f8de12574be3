using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>One message as staff see it (GET /api/staff/sms).</summary>
public sealed record SmsLogView(
    string MessageId, string ReservationCode, string Kind, string Language, string To, string Status,
    int Attempts, string? LastError, string? TwilioSid, string UpdatedAt);

/// <summary>"Did my SMS go out?": the message list, and a retry of failed messages.</summary>
public sealed class SmsStaffService(SmsLogStore log, StorageTables tables, TimeProvider clock, ILogger<SmsStaffService> logger)
{
    public const string AllStatuses = "all";

    public async Task<Result<IReadOnlyList<SmsLogView>>> ListAsync(string? status, string? reservationCode, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        status = string.IsNullOrWhiteSpace(status) ? AllStatuses : status.Trim().ToLowerInvariant();
        if (status != AllStatuses && !SmsStatus.All.Contains(status))
        {
            errors["status"] = [$"One of {AllStatuses}, {string.Join(", ", SmsStatus.All)}."];
        }

        string? code = null;
        if (!string.IsNullOrWhiteSpace(reservationCode))
        {
            if (ReservationCode.TryParse(reservationCode.Trim(), out var parsed))
            {
                code = parsed.Value;
            }
            else
            {
                errors["reservationCode"] = ["Not a reservation code (like K7M2-QX9P)."];
            }
        }

        if (errors.Count > 0)
        {
            return DomainError.Validation(errors);
        }

        var entries = await log.ListAsync(status == AllStatuses ? null : status, code, cancellationToken);
        return entries
            .OrderByDescending(e => e.UpdatedAt)
            .ThenBy(e => e.MessageId, StringComparer.Ordinal)
            .Select(ToView)
            .ToList();
    }

    /// <summary>Failed → pending, and the same message id goes on the queue again (no SID is recorded, so it is sent).</summary>
    public async Task<Result<SmsLogView>> RetryAsync(string messageId, CancellationToken cancellationToken)
    {
        var entry = await log.GetAsync(messageId, cancellationToken);
        if (entry is null)
        {
            return DomainError.NotFound("message");
        }

        if (entry.Status != SmsStatus.Failed)
        {
            return new DomainError(ErrorCode.SmsNotFailed, $"Only failed messages can be retried; this one is {entry.Status}.");
        }

        var reset = await log.TryWriteAsync(entry with
        {
            Status = SmsStatus.Pending,
            Attempts = 0,
            TwilioSid = null,
            SendingUntil = null,
            UpdatedAt = clock.GetUtcNow(),
        }, cancellationToken);
        if (reset is null)
        {
            return new DomainError(ErrorCode.SmsNotFailed, "The message changed meanwhile; reload and try again.");
        }

        try
        {
            await tables.SmsQueue.SendMessageAsync(SmsQueueMessage.Write([entry.ToQueueMessage()], QueueTrace.Current(clock.GetUtcNow())), cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            // Put it back as it was, so it stays in the failed list; the caller answers 503.
            await log.SaveAsync(reset with { Status = SmsStatus.Failed, Attempts = entry.Attempts, TwilioSid = entry.TwilioSid }, CancellationToken.None);
            throw;
        }

        logger.LogInformation("SMS {MessageId} ({Kind}) queued again by staff", entry.MessageId, entry.Kind);
        return ToView(reset);
    }

    public static SmsLogView ToView(SmsLogEntry e) => new(
        e.MessageId, ReservationCode.Display(e.ReservationCode), e.Kind, e.Language, e.To, e.Status, e.Attempts, e.LastError, e.TwilioSid,
        FestivalTime.FormatUtc(e.UpdatedAt));
}
