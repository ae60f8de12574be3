using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FestivalReservations.DevHost;
using FestivalReservations.DevHost.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FestivalReservations.Tests.DevHost;

public class QueueTriggerListenerTests
{
    private static readonly DevHostOptions Options = new() { QueueRetryDelay = TimeSpan.FromMilliseconds(250) };

    private readonly Mock<QueueClient> _queue = new();
    private readonly Mock<QueueClient> _poison = new();

    public QueueTriggerListenerTests()
    {
        _queue.SetupGet(q => q.Name).Returns("sms");
        _poison.SetupGet(q => q.Name).Returns("sms-poison");
    }

    [Fact]
    public async Task Success_DeletesTheMessage()
    {
        var message = Message(dequeueCount: 1);
        var listener = Listener((_, _) => Task.CompletedTask);

        var outcome = await listener.ProcessMessageAsync(message, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Completed, outcome);
        _queue.Verify(q => q.DeleteMessageAsync("m1", "pop1", It.IsAny<CancellationToken>()), Times.Once);
        _poison.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task FailureBeforeTheLastDequeue_MakesItVisibleAfterTheRetryDelay(long dequeueCount)
    {
        var listener = Listener((_, _) => throw new InvalidOperationException("Twilio said no"));

        var outcome = await listener.ProcessMessageAsync(Message(dequeueCount), CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Retried, outcome);
        _queue.Verify(q => q.UpdateMessageAsync("m1", "pop1", (string?)null, Options.QueueRetryDelay, It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _poison.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public async Task FailureOnTheLastDequeue_MovesItToPoisonAndDeletesIt(long dequeueCount)
    {
        var message = Message(dequeueCount);
        var listener = Listener((_, _) => throw new InvalidOperationException("still failing"));

        var outcome = await listener.ProcessMessageAsync(message, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Poisoned, outcome);
        _poison.Verify(p => p.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()), Times.Once);
        _poison.Verify(p => p.SendMessageAsync(
            It.Is<BinaryData>(b => b.ToString() == message.Body.ToString()),
            It.IsAny<TimeSpan?>(),
            It.IsAny<TimeSpan?>(),
            It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.DeleteMessageAsync("m1", "pop1", It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.UpdateMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ExpiredPopReceiptOnRetry_IsNotAnError()
    {
        _queue.Setup(q => q.UpdateMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "MessageNotFound"));
        var listener = Listener((_, _) => throw new InvalidOperationException("boom"));

        Assert.Equal(QueueMessageOutcome.Retried, await listener.ProcessMessageAsync(Message(1), CancellationToken.None));
    }

    [Fact]
    public async Task SlowFunction_KeepsTheMessageInvisible_AndDeletesWithTheLatestReceipt()
    {
        var options = Options with { QueueVisibilityTimeout = TimeSpan.FromMilliseconds(200) };
        var receipts = 0;
        var renewedTwice = new TaskCompletionSource();
        _queue.Setup(q => q.UpdateMessageAsync("m1", It.IsAny<string>(), (string?)null, options.QueueVisibilityTimeout, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                var n = Interlocked.Increment(ref receipts);
                if (n == 2)
                {
                    renewedTwice.SetResult();
                }

                return Response.FromValue(QueuesModelFactory.UpdateReceipt("pop" + (n + 1), DateTimeOffset.UtcNow.AddSeconds(1)), Mock.Of<Response>());
            });
        // The function runs until the message has been made invisible again twice (every 100 ms).
        var listener = new QueueTriggerListener("SendSms", _queue.Object, _poison.Object,
            (_, _) => renewedTwice.Task.WaitAsync(TimeSpan.FromSeconds(10)), options, maxDequeueCount: 5, NullLogger.Instance);

        var outcome = await listener.ProcessMessageAsync(Message(dequeueCount: 1), CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Completed, outcome);
        _queue.Verify(q => q.UpdateMessageAsync("m1", "pop1", (string?)null, options.QueueVisibilityTimeout, It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.UpdateMessageAsync("m1", "pop2", (string?)null, options.QueueVisibilityTimeout, It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.DeleteMessageAsync("m1", "pop" + (receipts + 1), It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.DeleteMessageAsync("m1", "pop1", It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PollOnce_ProcessesTheWholeBatch()
    {
        var messages = new[] { Message(1, "a"), Message(1, "b"), Message(5, "c") };
        _queue.Setup(q => q.ReceiveMessagesAsync(QueueTriggerListener.BatchSize, TimeSpan.FromSeconds(30), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(messages, Mock.Of<Response>()));
        var handled = new List<string>();
        var listener = Listener((m, _) =>
        {
            lock (handled)
            {
                handled.Add(m.MessageId);
            }

            return m.MessageId == "c" ? throw new InvalidOperationException("poison me") : Task.CompletedTask;
        });

        var count = await listener.PollOnceAsync(CancellationToken.None);

        Assert.Equal(3, count);
        Assert.Equal(["a", "b", "c"], handled.Order());
        _queue.Verify(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        _poison.Verify(p => p.SendMessageAsync(It.IsAny<BinaryData>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void QueueClients_UseBase64AndTheDefaultConnection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["AzureWebJobsOther"] = "other" })
            .Build();

        Assert.Equal("UseDevelopmentStorage=true", QueueClients.ConnectionString(configuration, null));
        Assert.Equal("other", QueueClients.ConnectionString(configuration, "Other"));
        Assert.Null(QueueClients.ConnectionString(configuration, "Missing"));
        Assert.Equal("sms-poison", QueueClients.PoisonQueueName("sms"));
        Assert.Equal("sms", QueueClients.Create("UseDevelopmentStorage=true", "sms").Name);
    }

    private QueueTriggerListener Listener(Func<QueueMessage, CancellationToken, Task> handler) =>
        new("SendSms", _queue.Object, _poison.Object, handler, Options, maxDequeueCount: 5, NullLogger.Instance);

    private static QueueMessage Message(long dequeueCount, string id = "m1") =>
        QueuesModelFactory.QueueMessage(id, id == "m1" ? "pop1" : "pop-" + id, BinaryData.FromString("""{"messageId":"x1"}"""), dequeueCount);
}
