using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// What the queue gave up on: after five failed deliveries the host moves an sms queue message to
/// &lt;sms queue&gt;-poison, and each SMS in it that is not settled is marked failed in SmsLog with
/// the reason, so it shows in the staff's failed list and can be retried there. Without this an SMS
/// whose deliveries all failed before the sender could record anything stayed pending for good.
/// </summary>
public sealed class SmsPoisonHandler(
    SmsLogStore log, SessionStore sessions, TimeProvider clock, ILogger<SmsPoisonHandler> logger, Telemetry.FestivalTelemetry? telemetry = null)
{
    /// <summary>The poison queue of the sms queue, resolved by the Functions host (and devhost) from Storage:SmsQueueName.</summary>
    public const string QueueBinding = StorageTables.SmsQueueBinding + "-poison";

    /// <summary>Marks every SMS of one poison message; throws (the queue retries) if any could not be marked yet.</summary>
    public async Task HandleAsync(string queueMessage, CancellationToken cancellationToken)
    {
        var messages = SmsQueueMessage.Read(queueMessage);
        if (messages is null)
        {
            logger.LogError("Dropping a poisoned sms queue message that is not an SMS request ({Length} characters)", queueMessage.Length);
            return;
        }

        Exception? first = null;
        foreach (var message in messages)
        {
            if (!SmsQueueMessage.IsComplete(message))
            {
                logger.LogError("Dropping a poisoned SMS request that is incomplete (one of {Count} in a queue message)", messages.Count);
                continue;
            }

            try
            {
                await MarkFailedAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                first ??= e;
            }
        }

        if (first is not null)
        {
            // Marking is idempotent: the retry leaves the ones done as they are.
            throw first;
        }
    }

    private async Task MarkFailedAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var entry = await log.GetAsync(message.MessageId, cancellationToken);
        if (entry is { IsSettled: true })
        {
            logger.LogInformation("Poisoned SMS {MessageId} ({Kind}) is already {Status}", message.MessageId, message.Kind, entry.Status);
            return;
        }

        var (language, masked) = entry is null ? await DescribeAsync(message, cancellationToken) : (entry.Language, entry.To);
        var now = clock.GetUtcNow();
        var (marked, changed) = await log.UpdateAsync(message.MessageId, e => e switch
        {
            { IsSettled: true } => null,
            // Another delivery of the same id is talking to Twilio: let it finish (the queue retries
            // this after host.json's visibilityTimeout; four of those outlast the lease).
            { SendingUntil: { } until } when until > now => throw new SmsInProgressException(message.MessageId),
            _ => (e ?? New(message, language, masked)) with
            {
                Status = SmsStatus.Failed,
                LastError = Reason(e?.LastError),
                UpdatedAt = now,
                SendingUntil = null,
            },
        }, cancellationToken, entry);
        if (changed)
        {
            telemetry?.SmsOutcome(message.Kind, Telemetry.SmsOutcome.Poisoned);
        }

        if (changed)
        {
            logger.LogWarning("SMS {MessageId} ({Kind}) for {Code} is failed: {Error}", message.MessageId, message.Kind, message.ReservationCode, marked!.LastError);
        }
    }

    private static string Reason(string? lastError) =>
        $"the queue gave up after {SmsSendService.MaxAttempts} deliveries" + (lastError is null ? "" : $"; last error: {lastError}");

    /// <summary>Language and masked phone for a message that never got a row (its deliveries failed before the claim).</summary>
    private async Task<(string Language, string Masked)> DescribeAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        (await sessions.GetReservationAsync(message.SessionId, message.ReservationCode, cancellationToken))?.Reservation is { } reservation
            ? (SmsTemplates.LanguageOf(reservation.Language), KoreanMobile.Mask(reservation.Phone))
            : (Languages.Default, "***");

    private static SmsLogEntry New(OutboxMessage message, string language, string masked) => new()
    {
        MessageId = message.MessageId,
        ReservationCode = message.ReservationCode,
        SessionId = message.SessionId,
        Kind = message.Kind,
        Language = language,
        To = masked,
        Status = SmsStatus.Failed,
        CreatedAt = message.CreatedAt,
        UpdatedAt = message.CreatedAt,
    };
}
