using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Azure.Storage.Queues.Models;
using Moq;

namespace FestivalReservations.Tests.Unit.Notifications;

public sealed class OutboxDispatcherTests
{
    private const string Session = "mask-parade.20240908.1400";
    private readonly FakeStorage _storage = new();
    private readonly OutboxDispatcher _dispatcher;
    private readonly OutboxRow _row = new(Session, "change1", [OutboxMessage.For(Session, "K7M2QX9P", SmsKind.Confirmed, DateTimeOffset.UnixEpoch)]);

    public OutboxDispatcherTests()
    {
        _dispatcher = new OutboxDispatcher(_storage.Tables, NullLogger<OutboxDispatcher>.Instance);
        _storage.Sessions.Seed(OutboxRows.ToEntity(_row));
    }

    private void QueueThrows(Exception e) => _storage.SmsQueue
        .Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
        .ThrowsAsync(e);

    [Fact]
    public async Task DispatchAsync_QueueTimesOut_LeavesTheRowForTheSweep()
    {
        // The change is committed: a network timeout must not fail the request that made it.
        QueueThrows(new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10."));

        Assert.False(await _dispatcher.DispatchAsync(_row, CancellationToken.None));

        Assert.NotNull(_storage.Sessions.Get(Session, _row.RowKey));
    }

    [Fact]
    public async Task DispatchAsync_CallerCancelled_Throws()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();
        QueueThrows(new OperationCanceledException(caller.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _dispatcher.DispatchAsync(_row, caller.Token));
        Assert.NotNull(_storage.Sessions.Get(Session, _row.RowKey));
    }

    [Fact]
    public async Task DispatchAsync_QueueAccepts_DeletesTheRow()
    {
        Assert.True(await _dispatcher.DispatchAsync(_row, CancellationToken.None));

        Assert.Single(_storage.SentMessages);
        Assert.Null(_storage.Sessions.Get(Session, _row.RowKey));
    }

    [Fact]
    public async Task DispatchAsync_RowOfManyMessages_EnqueuesEachOnceThenDeletesTheRow()
    {
        var messages = Enumerable.Range(0, SmsQueueMessage.MaxPerMessage + 3)
            .Select(i => OutboxMessage.For(Session, $"K7M2QX{i:D2}", SmsKind.Promoted, DateTimeOffset.UnixEpoch)).ToList();
        var row = new OutboxRow(Session, "change2", messages);
        _storage.Sessions.Seed(OutboxRows.ToEntity(row));

        Assert.True(await _dispatcher.DispatchAsync(row, CancellationToken.None));

        var queued = _storage.SentMessages.SelectMany(body => SmsQueueMessage.Read(body)!).Select(m => m!.MessageId).ToList();
        Assert.Equal(messages.Select(m => m.MessageId).OrderBy(id => id), queued.OrderBy(id => id));
        Assert.Null(_storage.Sessions.Get(Session, row.RowKey));
    }

    [Fact]
    public async Task DispatchAsync_SecondQueueWriteFails_KeepsTheWholeRow()
    {
        var messages = Enumerable.Range(0, SmsQueueMessage.MaxPerMessage + 1)
            .Select(i => OutboxMessage.For(Session, $"K7M2QX{i:D2}", SmsKind.Promoted, DateTimeOffset.UnixEpoch)).ToList();
        var row = new OutboxRow(Session, "change3", messages);
        _storage.Sessions.Seed(OutboxRows.ToEntity(row));
        var calls = 0;
        _storage.SmsQueue.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(() => ++calls == 1
                ? Task.FromResult(Azure.Response.FromValue(
                    QueuesModelFactory.SendReceipt("1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "pop", DateTimeOffset.UnixEpoch),
                    AzureFakes.RawResponse(201)))
                : Task.FromException<Azure.Response<SendReceipt>>(new Azure.RequestFailedException(503, "busy")));

        Assert.False(await _dispatcher.DispatchAsync(row, CancellationToken.None));

        Assert.Equal(2, calls);
        Assert.NotNull(_storage.Sessions.Get(Session, row.RowKey));
    }

    [Fact]
    public async Task DispatchAsync_ARowTheSweepSendsLater_CarriesTheCommitsTraceNotTheSweeps()
    {
        const string committed = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var row = new OutboxRow(Session, "change4", [OutboxMessage.For(Session, "K7M2QX01", SmsKind.Confirmed, DateTimeOffset.UnixEpoch)], committed);
        _storage.Sessions.Seed(OutboxRows.ToEntity(row));
        using var sweep = new System.Diagnostics.Activity("sweep").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        Assert.True(await _dispatcher.DispatchAsync(row, CancellationToken.None));

        Assert.Equal(committed, SmsQueueMessage.ReadTrace(Assert.Single(_storage.SentMessages))?.TraceParent);
    }
}
