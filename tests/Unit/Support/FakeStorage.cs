using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using Moq;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>StorageTables over a mocked TableServiceClient and QueueServiceClient, one in-memory table per name.</summary>
public sealed class FakeStorage
{
    private readonly List<string> _sent = [];

    public FakeStorage()
    {
        var service = new Mock<TableServiceClient>();
        foreach (var table in new[] { Catalog, Sessions, Codes, Idempotency, SmsLog, OutboxIndex, PhoneDays, CodeFailures, SessionsByEnd, ErasureRuns })
        {
            service.Setup(s => s.GetTableClient(table.Name)).Returns(table.Mock.Object);
        }

        SmsQueue.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string text, CancellationToken _) =>
            {
                lock (_sent)
                {
                    _sent.Add(text);
                }

                return Task.FromResult(Response.FromValue(
                    QueuesModelFactory.SendReceipt(Guid.NewGuid().ToString(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "pop", DateTimeOffset.UnixEpoch),
                    AzureFakes.RawResponse(201)));
            });
        var queues = new Mock<QueueServiceClient>();
        queues.Setup(q => q.GetQueueClient(StorageTables.DefaultSmsQueueName)).Returns(SmsQueue.Object);
        queues.Setup(q => q.GetQueueClient(StorageTables.DefaultSmsQueueName + "-poison")).Returns(new Mock<QueueClient>().Object);
        TableService = service;
        Tables = new StorageTables(service.Object, queues.Object);
    }

    public InMemoryTable Catalog { get; } = new("Catalog");

    public InMemoryTable Sessions { get; } = new("Sessions");

    public InMemoryTable Codes { get; } = new("Codes");

    public InMemoryTable Idempotency { get; } = new("Idempotency");

    public InMemoryTable SmsLog { get; } = new("SmsLog");

    public InMemoryTable OutboxIndex { get; } = new("OutboxIndex");

    public InMemoryTable SessionsByEnd { get; } = new("SessionsByEnd");

    public InMemoryTable ErasureRuns { get; } = new("ErasureRuns");

    public InMemoryTable PhoneDays { get; } = new(Core.Storage.PhoneDays.TableName);

    public InMemoryTable CodeFailures { get; } = new(Core.Storage.CodeLockout.TableName);

    public Mock<QueueClient> SmsQueue { get; } = new();

    public Mock<TableServiceClient> TableService { get; }

    public StorageTables Tables { get; }

    /// <summary>Every SMS on the queue, one queue message holding one or a transaction's many.</summary>
    public IReadOnlyList<OutboxMessage> SentSms => SentMessages.SelectMany(body => SmsQueueMessage.Read(body) ?? []).OfType<OutboxMessage>().ToList();

    public IReadOnlyList<string> SentMessages
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }
}
