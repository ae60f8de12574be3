using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>Every table and queue the app uses (model in ../shared/DESIGN.md), created once at start.</summary>
public sealed class StorageTables(TableServiceClient tables, QueueServiceClient queues, IOptions<StorageOptions> options)
{
    /// <summary>The sms queue's name unless Storage:SmsQueueName says otherwise.</summary>
    public const string DefaultSmsQueueName = "sms";

    /// <summary>SendSms's queue trigger binding: resolved from Storage:SmsQueueName by the Functions host (and devhost).</summary>
    public const string SmsQueueBinding = "%Storage:SmsQueueName%";

    /// <summary>With the default sms queue (for tests over fakes).</summary>
    public StorageTables(TableServiceClient tables, QueueServiceClient queues)
        : this(tables, queues, Options.Create(new StorageOptions()))
    {
    }

    public TableServiceClient Service { get; } = tables;

    /// <summary>PK festivalId; RK "festival" (the festival) or programId (a program).</summary>
    public TableClient Catalog { get; } = tables.GetTableClient("Catalog");

    /// <summary>PK sessionId; the counter, reservations, phone markers, waitlist and outbox of one session.</summary>
    public TableClient Sessions { get; } = tables.GetTableClient("Sessions");

    /// <summary>PK code → the session that holds the reservation.</summary>
    public TableClient Codes { get; } = tables.GetTableClient("Codes");

    /// <summary>PK hash of an Idempotency-Key → the first response, kept 24 h.</summary>
    public TableClient Idempotency { get; } = tables.GetTableClient("Idempotency");

    /// <summary>PK minute (yyyyMMddHHmm) → RK sessionId: sessions that may hold outbox rows of that minute (<see cref="Storage.OutboxIndex"/>).</summary>
    public TableClient OutboxIndex { get; } = tables.GetTableClient("OutboxIndex");

    /// <summary>PK messageId → one SMS: attempts, Twilio SID, status; and its index rows by status and by code (<see cref="SmsLogStore"/>).</summary>
    public TableClient SmsLog { get; } = tables.GetTableClient("SmsLog");

    /// <summary>PK the UTC day a session ends (yyyyMMdd) → RK sessionId: sessions whose personal data may still be stored (<see cref="Storage.SessionsByEnd"/>).</summary>
    public TableClient SessionsByEnd { get; } = tables.GetTableClient("SessionsByEnd");

    /// <summary>One row per erasure run: when, its cutoff, sessions and rows erased by kind (<see cref="ErasureRunStore"/>).</summary>
    public TableClient ErasureRuns { get; } = tables.GetTableClient("ErasureRuns");

    /// <summary>PK day and hash digit, RK h-/s- and a phone's hash: a phone's sessions and SMS of one festival day (<see cref="FestivalReservations.Core.Storage.PhoneDays"/>).</summary>
    public TableClient PhoneDays { get; } = tables.GetTableClient(FestivalReservations.Core.Storage.PhoneDays.TableName);

    /// <summary>PK code → wrong phones tried for it, and until when it is locked (<see cref="FestivalReservations.Core.Storage.CodeLockout"/>).</summary>
    public TableClient CodeFailures { get; } = tables.GetTableClient(CodeLockout.TableName);

    public QueueClient SmsQueue { get; } = queues.GetQueueClient(options.Value.SmsQueueName);

    public QueueClient SmsPoisonQueue { get; } = queues.GetQueueClient(options.Value.SmsQueueName + "-poison");

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Catalog, Sessions, Codes, Idempotency, SmsLog, OutboxIndex, PhoneDays, CodeFailures, SessionsByEnd, ErasureRuns })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        await SmsQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await SmsPoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
