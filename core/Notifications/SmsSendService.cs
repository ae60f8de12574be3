using System.Diagnostics;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Handles one message of the sms queue: at most one SMS per message id. SmsLog says whether it
/// was sent already (SID recorded: a redelivery does nothing); a lease in the row keeps two
/// deliveries of the same id from sending at once. Permanent refusals are recorded as failed
/// and end there; transient failures are recorded and thrown so the queue retries, and the
/// fifth failed attempt is recorded as failed. What the queue gives up on without a record (the
/// deliveries failed before one) is marked failed by <see cref="SmsPoisonHandler"/>.
/// </summary>
public sealed class SmsSendService(
    SmsLogStore log,
    SessionStore sessions,
    CatalogService catalog,
    ISmsSender sender,
    SmsStatusUpdater statuses,
    Storage.SmsBudget budget,
    Privacy.PhoneHasher phoneHasher,
    TimeProvider clock,
    ILogger<SmsSendService> logger,
    TicketSigner tickets,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<SmsOptions>? options = null,
    Telemetry.FestivalTelemetry? telemetry = null)
{
    /// <summary>Deliveries before a message is poisoned: host.json extensions.queues.maxDequeueCount.</summary>
    public const int MaxAttempts = 8;

    /// <summary>How long one attempt may hold a message; longer than the Twilio call can take.</summary>
    public static readonly TimeSpan DefaultLease = SmsOptions.DefaultSendLease;

    private readonly TimeSpan _lease = options?.Value.SendLease ?? SmsOptions.DefaultSendLease;

    private readonly ResiliencePipeline _recordSent = pipelines.GetPipeline(StorageRetries.SmsSent);

    /// <summary>Waited past a held lease's end before the row is read again.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>A look-up for an earlier attempt's message starts this long before it: our clock and Twilio's may differ.</summary>
    public static readonly TimeSpan LookupMargin = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Handles one queue message: one SMS, or the SMS of one commit (<see cref="SmsQueueMessage"/>),
    /// a few at a time. If any of them failed transiently the message is retried whole; the ones
    /// already sent are settled in SmsLog and not sent again.
    /// </summary>
    public async Task HandleAsync(string queueMessage, long dequeueCount, CancellationToken cancellationToken)
    {
        // The send continues the trace of whoever enqueued it (the booking's commit), linked to the
        // invocation that delivered it: one booking, one trace from the HTTP request to Twilio.
        var trace = SmsQueueMessage.ReadTrace(queueMessage);
        using var span = Telemetry.FestivalTelemetry.Source.StartActivity("sms send", ActivityKind.Consumer, trace?.Parent ?? default,
            [new("messaging.system", "azure_queue"), new("messaging.operation.type", "process"), new("messaging.message.delivery_count", dequeueCount)],
            Activity.Current is { } invocation ? [new ActivityLink(invocation.Context)] : null);
        if (trace is { EnqueuedAt: var enqueuedAt } && enqueuedAt != default)
        {
            telemetry?.QueueAge(clock.GetUtcNow() - enqueuedAt);
        }

        try
        {
            await HandleMessagesAsync(queueMessage, dequeueCount, cancellationToken);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task HandleMessagesAsync(string queueMessage, long dequeueCount, CancellationToken cancellationToken)
    {
        var messages = SmsQueueMessage.Read(queueMessage);
        if (messages is null)
        {
            // Never succeeds however often it is retried: drop it, loudly.
            logger.LogError("Dropping an sms queue message that is not an SMS request ({Length} characters)", queueMessage.Length);
            return;
        }

        var valid = new List<OutboxMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (SmsQueueMessage.IsComplete(message))
            {
                valid.Add(message);
            }
            else
            {
                logger.LogError("Dropping an SMS request that is incomplete (one of {Count} in a queue message)", messages.Count);
            }
        }

        if (valid.Count == 1)
        {
            await HandleAsync(valid[0], dequeueCount, cancellationToken);
            return;
        }

        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(valid, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                try
                {
                    await HandleAsync(message, dequeueCount, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    failures.Enqueue(e);
                }
            });
        if (failures.TryPeek(out var first))
        {
            // The queue retries the whole message; SmsLog keeps the sent ones to one SMS each.
            throw first;
        }
    }

    /// <summary>SMS of one queue message sent at once.</summary>
    public const int ParallelSends = 4;

    public async Task HandleAsync(OutboxMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        var entry = await log.GetAsync(message.MessageId, cancellationToken);
        if (entry is { IsSettled: true })
        {
            logger.LogInformation("SMS {MessageId} ({Kind}) is already {Status}; not sending it again", message.MessageId, entry.Kind, entry.Status);
            return;
        }

        var now = clock.GetUtcNow();
        if (entry is { SendingUntil: { } until } && until > now)
        {
            // Another delivery holds the lease, or held it and died (a claim whose reply was lost
            // counts as one). Failing at once would spend this delivery: the queue's retries can
            // come faster than a lease runs out, and a message whose every delivery met the lease
            // ends in the poison queue with its SMS never sent. So wait the lease out (it is
            // bounded by Sms:SendLease) and decide on the row as it then is.
            var wait = (until - now < _lease ? until - now : _lease) + LeaseMargin;
            logger.LogInformation("SMS {MessageId} ({Kind}) is leased by another delivery; waiting {Wait} for it", message.MessageId, message.Kind, wait);
            await Task.Delay(wait, clock, cancellationToken);
            entry = await log.GetAsync(message.MessageId, cancellationToken);
            if (entry is { IsSettled: true })
            {
                logger.LogInformation("SMS {MessageId} ({Kind}) was {Status} by the delivery that held it", message.MessageId, message.Kind, entry.Status);
                return;
            }

            now = clock.GetUtcNow();
            if (entry is { SendingUntil: { } again } && again > now)
            {
                throw new SmsInProgressException(message.MessageId);
            }
        }

        var reservation = (await sessions.GetReservationAsync(message.SessionId, message.ReservationCode, cancellationToken))?.Reservation;
        if (reservation is null)
        {
            await SettleWithoutSendingAsync(entry, message, Languages.Default, "***", "reservation not found", cancellationToken);
            return;
        }

        var language = SmsTemplates.LanguageOf(reservation.Language);
        var masked = KoreanMobile.Mask(reservation.Phone);
        if (message.Kind == SmsKind.Reminder && reservation.Status != ReservationStatus.Confirmed)
        {
            logger.LogInformation("No reminder {MessageId}: reservation {Code} is {Status}", message.MessageId, reservation.Code, reservation.Status);
            return;
        }

        if (message.Kind == SmsKind.Reminder && reservation.RemindersOff)
        {
            logger.LogInformation("No reminder {MessageId}: reservation {Code} opted out", message.MessageId, reservation.Code);
            return;
        }

        var text = await RenderAsync(message, reservation, language, cancellationToken);
        if (text is null)
        {
            await SettleWithoutSendingAsync(entry, message, language, masked, "session or program not in the catalog", cancellationToken);
            return;
        }

        if (!await budget.TrySpendAsync(phoneHasher.Hash(reservation.Phone), (await catalog.GetAsync(cancellationToken)).Time.DateOf(now), message.MessageId, cancellationToken))
        {
            await SettleSuppressedAsync(entry, message, language, masked, cancellationToken);
            telemetry?.Refused(Telemetry.RateLimit.SmsBudget);
            telemetry?.SmsOutcome(message.Kind, Telemetry.SmsOutcome.Suppressed);
            return;
        }

        // Claim: record the attempt and take the lease, guarded by the ETag read above. Until its
        // outcome is known the attempt counts as one that may have reached Twilio (UnconfirmedSince).
        var claimed = await log.TryWriteAsync(new SmsLogEntry
        {
            MessageId = message.MessageId,
            ReservationCode = message.ReservationCode,
            SessionId = message.SessionId,
            Kind = message.Kind,
            Language = language,
            To = masked,
            Status = SmsStatus.Pending,
            Attempts = (entry?.Attempts ?? 0) + 1,
            LastError = entry?.LastError,
            CreatedAt = entry?.CreatedAt ?? message.CreatedAt,
            UpdatedAt = now,
            SendingUntil = now + _lease,
            UnconfirmedSince = entry?.UnconfirmedSince ?? now,
            ETag = entry?.ETag ?? default,
            StoredStatus = entry?.StoredStatus,
        }, cancellationToken) ?? throw new SmsInProgressException(message.MessageId);

        var request = new SmsSendRequest(message.MessageId, message.Kind, language, reservation.Phone, text);
        SmsSendResult result;
        try
        {
            var earlier = await FindEarlierAsync(entry, request, cancellationToken);
            if (earlier is not null)
            {
                logger.LogWarning("SMS {MessageId} ({Kind}) was created by an earlier attempt whose outcome was unknown: {Sid}; not sending it again",
                    message.MessageId, message.Kind, earlier.Sid);
            }

            result = earlier ?? await sender.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = e as SmsSendException ?? SmsSendException.Unknown($"unexpected {e.GetType().Name} while sending", e);
            var final = failure.Permanent || claimed.Attempts >= MaxAttempts || dequeueCount >= MaxAttempts;
            await log.SaveAsync(claimed with
            {
                Status = final ? SmsStatus.Failed : SmsStatus.Pending,
                LastError = failure.Error,
                UpdatedAt = clock.GetUtcNow(),
                SendingUntil = null,
                // Twilio said no for sure: this attempt created nothing (an earlier one still may have).
                UnconfirmedSince = failure.OutcomeUnknown ? claimed.UnconfirmedSince : entry?.UnconfirmedSince,
            }, CancellationToken.None);
            telemetry?.SmsOutcome(message.Kind, final ? Telemetry.SmsOutcome.Failed : Telemetry.SmsOutcome.Retried);
            if (failure.Permanent)
            {
                logger.LogWarning("SMS {MessageId} ({Kind}) to {PhoneMasked} refused for good: {Error}",
                    message.MessageId, message.Kind, masked, failure.Error);
                return;
            }

            logger.LogWarning("SMS {MessageId} ({Kind}) attempt {Attempt} of {Max} failed: {Error}{Final}",
                message.MessageId, message.Kind, claimed.Attempts, MaxAttempts, failure.Error, final ? "; giving up (failed)" : "; the queue will retry");
            throw failure;
        }
        catch (OperationCanceledException)
        {
            // Shutting down mid-send: release the lease (the outcome stays unknown); the queue delivers the message again.
            await log.SaveAsync(claimed with { SendingUntil = null, UpdatedAt = clock.GetUtcNow() }, CancellationToken.None);
            throw;
        }

        await RecordSentAsync(claimed, result.Sid);
        telemetry?.SmsOutcome(message.Kind, Telemetry.SmsOutcome.Sent);
        logger.LogInformation("SMS {MessageId} ({Kind}, {Language}) to {PhoneMasked} sent as {Sid}",
            message.MessageId, message.Kind, language, masked, result.Sid);
    }

    /// <summary>
    /// Twilio has no idempotency key: after an attempt whose outcome is unknown, the message it may
    /// have created, looked for before sending again. A look-up that fails leaves the outcome unknown
    /// (the queue retries); it never counts as a refusal of this SMS.
    /// </summary>
    private async Task<SmsSendResult?> FindEarlierAsync(SmsLogEntry? entry, SmsSendRequest request, CancellationToken cancellationToken)
    {
        if (entry?.UnconfirmedSince is not { } since)
        {
            return null;
        }

        try
        {
            return await sender.FindSentAsync(request, since - LookupMargin, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw SmsSendException.Unknown(
                "could not tell whether an earlier attempt was sent: " + ((e as SmsSendException)?.Error ?? e.GetType().Name), e);
        }
    }

    /// <summary>
    /// Twilio has the message now: the SID must be recorded, or a redelivery would send it again.
    /// The SID's map first, so that a status callback from here on finds the message (and parks
    /// its status until the SID is on it); then the SID on the message, guarded by the ETag so a
    /// status a callback wrote is not overwritten; then any status parked before. Retried
    /// in-process for as long as the lease keeps other deliveries away (<see cref="StorageRetries.SmsSent"/>:
    /// a storage outage of up to Sms:SendLease); not cancellable.
    /// </summary>
    private async Task RecordSentAsync(SmsLogEntry claimed, string sid) =>
        await _recordSent.ExecuteAsync(async _ =>
        {
            await log.MapSidAsync(sid, claimed.MessageId, CancellationToken.None);
            await log.UpdateAsync(claimed.MessageId, e => WithSid(e ?? claimed with { ETag = default }, sid), CancellationToken.None, claimed);
            await statuses.ApplyParkedAsync(sid, CancellationToken.None);
        }, CancellationToken.None);

    /// <summary>The row with this SID recorded and the lease released; null when there is nothing to change.</summary>
    private SmsLogEntry? WithSid(SmsLogEntry entry, string sid)
    {
        if (entry.TwilioSid == sid)
        {
            return entry.SendingUntil is null && entry.UnconfirmedSince is null ? null : entry with { SendingUntil = null, UnconfirmedSince = null };
        }

        if (entry.TwilioSid is { } other)
        {
            // Another delivery sent it too (possible only after the lease ran out): the first SID stays.
            logger.LogError("SMS {MessageId} went to Twilio twice: {Sid} is recorded, {OtherSid} is not", entry.MessageId, other, sid);
            return null;
        }

        return entry with
        {
            Status = SmsStatus.Sent,
            TwilioSid = sid,
            LastError = null,
            UpdatedAt = clock.GetUtcNow(),
            SendingUntil = null,
            UnconfirmedSince = null,
        };
    }

    /// <summary>The phone's budget for the day is spent (<see cref="Storage.SmsBudget"/>): recorded suppressed, visible to staff, not sent.</summary>
    private async Task SettleSuppressedAsync(SmsLogEntry? entry, OutboxMessage message, string language, string masked, CancellationToken cancellationToken)
    {
        logger.LogWarning("SMS {MessageId} ({Kind}) for {Code} suppressed: the phone's daily budget is spent", message.MessageId, message.Kind, message.ReservationCode);
        await log.SaveAsync(new SmsLogEntry
        {
            MessageId = message.MessageId,
            ReservationCode = message.ReservationCode,
            SessionId = message.SessionId,
            Kind = message.Kind,
            Language = entry?.Language ?? language,
            To = entry?.To ?? masked,
            Status = SmsStatus.Suppressed,
            Attempts = entry?.Attempts ?? 0,
            LastError = "daily SMS budget of this phone spent",
            CreatedAt = entry?.CreatedAt ?? message.CreatedAt,
            UpdatedAt = clock.GetUtcNow(),
            UnconfirmedSince = entry?.UnconfirmedSince,
            ETag = entry?.ETag ?? default,
            StoredStatus = entry?.StoredStatus,
        }, cancellationToken);
    }

    private async Task SettleWithoutSendingAsync(
        SmsLogEntry? entry, OutboxMessage message, string language, string masked, string error, CancellationToken cancellationToken)
    {
        logger.LogWarning("SMS {MessageId} ({Kind}) for {Code} cannot be sent: {Error}", message.MessageId, message.Kind, message.ReservationCode, error);
        telemetry?.SmsOutcome(message.Kind, Telemetry.SmsOutcome.Failed);
        var now = clock.GetUtcNow();
        await log.SaveAsync(new SmsLogEntry
        {
            MessageId = message.MessageId,
            ReservationCode = message.ReservationCode,
            SessionId = message.SessionId,
            Kind = message.Kind,
            Language = entry?.Language ?? language,
            To = entry?.To ?? masked,
            Status = SmsStatus.Failed,
            Attempts = (entry?.Attempts ?? 0) + 1,
            LastError = error,
            CreatedAt = entry?.CreatedAt ?? message.CreatedAt,
            UpdatedAt = now,
            UnconfirmedSince = entry?.UnconfirmedSince,
            StoredStatus = entry?.StoredStatus,
        }, cancellationToken);
    }

    private async Task<string?> RenderAsync(OutboxMessage message, Reservation reservation, string language, CancellationToken cancellationToken)
    {
        var festival = await catalog.GetAsync(cancellationToken);
        if (festival.FindSession(message.SessionId) is not { } session || festival.FindProgram(session.ProgramId) is not { } program)
        {
            return null;
        }

        var code = ReservationCode.Display(reservation.Code);
        var link = SmsTemplates.CarriesLink(message.Kind) ? tickets.UrlFor(reservation.Code, session.Date) : null;
        return SmsTemplates.Render(message.Kind, language, SmsTemplateData.For(language,
            festival.Document.Name, program.Title, festival.Time.ToLocal(session.Start), reservation.PartySize, code, link)
            with { WaitlistPosition = message.WaitlistPosition });
    }
}

/// <summary>Another delivery of the same message id is talking to Twilio right now: try again later.</summary>
public sealed class SmsInProgressException(string messageId)
    : Exception($"SMS {messageId} is being sent by another delivery; retrying later.");
