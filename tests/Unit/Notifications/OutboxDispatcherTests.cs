using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FestivalReservations.Tests.Unit.Notifications;

public sealed class OutboxDispatcherTests
{
    private const string Session = "mask-parade.20240908.1400";
    private readonly FakeStorage _storage = new();
    private readonly OutboxDispatcher _dispatcher;
    private readonly OutboxMessage _message = OutboxMessage.For(Session, "K7M2QX9P", SmsKind.Confirmed, DateTimeOffset.UnixEpoch);

    public OutboxDispatcherTests()
    {
        _dispatcher = new OutboxDispatcher(_storage.Tables, NullLogger<OutboxDispatcher>.Instance);
        _storage.Sessions.Seed(new TableEntity(Session, SessionRows.Outbox(_message.MessageId)));
    }

    private void QueueThrows(Exception e) => _storage.SmsQueue
        .Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
        .ThrowsAsync(e);

    [Fact]
    public async Task DispatchAsync_QueueTimesOut_LeavesTheRowForTheSweep()
    {
        // The change is committed: a network timeout must not fail the request that made it.
        QueueThrows(new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10."));

        await _dispatcher.DispatchAsync(_message, CancellationToken.None);

        Assert.NotNull(_storage.Sessions.Get(Session, SessionRows.Outbox(_message.MessageId)));
    }

    [Fact]
    public async Task DispatchAsync_CallerCancelled_Throws()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();
        QueueThrows(new OperationCanceledException(caller.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _dispatcher.DispatchAsync(_message, caller.Token));
        Assert.NotNull(_storage.Sessions.Get(Session, SessionRows.Outbox(_message.MessageId)));
    }

    [Fact]
    public async Task DispatchAsync_QueueAccepts_DeletesTheRow()
    {
        await _dispatcher.DispatchAsync(_message, CancellationToken.None);

        Assert.Single(_storage.SentMessages);
        Assert.Null(_storage.Sessions.Get(Session, SessionRows.Outbox(_message.MessageId)));
    }
}
