using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FestivalReservations.DevHost.Queues;

/// <summary>
/// Polls one queue for one queue trigger with the Functions host's semantics: up to 16 messages
/// at a time, kept invisible while processed, deleted on success, made visible again after the retry
/// delay on failure (host.json's visibilityTimeout), and moved to &lt;queue&gt;-poison when the last
/// allowed dequeue fails.
/// </summary>
public sealed class QueueTriggerListener(
    string functionName,
    QueueClient queue,
    QueueClient poisonQueue,
    Func<QueueMessage, CancellationToken, Task> handler,
    DevHostOptions options,
    int maxDequeueCount,
    ILogger logger) : BackgroundService
{
    public const int BatchSize = 16;

    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _functionName = functionName;
    private readonly QueueClient _queue = queue;
    private readonly QueueClient _poisonQueue = poisonQueue;
    private readonly Func<QueueMessage, CancellationToken, Task> _handler = handler;
    private readonly DevHostOptions _options = options;
    private readonly int _maxDequeueCount = maxDequeueCount;
    private readonly ILogger _logger = logger;

    public string QueueName => _queue.Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = MinPollInterval;
        var failing = false;
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!created)
                {
                    await _queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                var processed = await PollOnceAsync(stoppingToken);
                if (failing)
                {
                    _logger.LogInformation("Queue {Queue} for {Function} is reachable again", _queue.Name, _functionName);
                    failing = false;
                }

                wait = processed > 0 ? TimeSpan.Zero : Next(wait);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (!failing)
                {
                    _logger.LogWarning("Cannot poll queue {Queue} for {Function}: {Error} (retrying quietly)", _queue.Name, _functionName, ex.Message);
                    failing = true;
                }

                wait = _options.QueuePollInterval;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Receives one batch and processes it concurrently; returns how many messages there were.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await _queue.ReceiveMessagesAsync(BatchSize, _options.QueueVisibilityTimeout, cancellationToken);
        await Task.WhenAll(messages.Select(m => ProcessMessageAsync(m, cancellationToken)));
        return messages.Length;
    }

    /// <summary>Runs the function for one dequeued message and settles the message accordingly.</summary>
    public async Task<QueueMessageOutcome> ProcessMessageAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        // As the Functions host does, the message stays invisible for as long as its function runs:
        // the visibility timeout only decides how soon a message whose processing died comes back.
        var receipt = new Receipt(message.PopReceipt);
        Exception? failure = null;
        using (var running = new CancellationTokenSource())
        {
            var renewal = KeepInvisibleAsync(message.MessageId, receipt, running.Token);
            try
            {
                await _handler(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = ex;
            }
            finally
            {
                await running.CancelAsync();
                await renewal;
            }
        }

        if (failure is not null)
        {
            return await FailAsync(message, receipt.Value, failure);
        }

        await _queue.DeleteMessageAsync(message.MessageId, receipt.Value, CancellationToken.None);
        return QueueMessageOutcome.Completed;
    }

    /// <summary>Every half visibility timeout, makes the message invisible for another one (each update brings a new pop receipt).</summary>
    private async Task KeepInvisibleAsync(string messageId, Receipt receipt, CancellationToken stop)
    {
        var every = _options.QueueVisibilityTimeout / 2;
        if (every <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(every, stop);

                // Not cancelled mid-call: an update the queue applied but we did not hear of would leave a stale receipt.
                var updated = await _queue.UpdateMessageAsync(messageId, receipt.Value, messageText: null, visibilityTimeout: _options.QueueVisibilityTimeout, cancellationToken: CancellationToken.None);
                receipt.Value = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RequestFailedException ex)
        {
            _logger.LogWarning("Cannot keep message {MessageId} of {Queue} invisible while {Function} runs: {Error}; it may be delivered again",
                messageId, _queue.Name, _functionName, ex.Message);
        }
    }

    private async Task<QueueMessageOutcome> FailAsync(QueueMessage message, string popReceipt, Exception error)
    {
        if (message.DequeueCount >= _maxDequeueCount)
        {
            _logger.LogError(error, "Function {Function} failed on message {MessageId} (dequeue {DequeueCount} of {Max}); moving it to {PoisonQueue}",
                _functionName, message.MessageId, message.DequeueCount, _maxDequeueCount, _poisonQueue.Name);
            await _poisonQueue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            await _poisonQueue.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
            await _queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
            return QueueMessageOutcome.Poisoned;
        }

        _logger.LogWarning(error, "Function {Function} failed on message {MessageId} (dequeue {DequeueCount} of {Max}); retrying in {Delay}",
            _functionName, message.MessageId, message.DequeueCount, _maxDequeueCount, _options.QueueRetryDelay);
        try
        {
            await _queue.UpdateMessageAsync(message.MessageId, popReceipt, messageText: null, visibilityTimeout: _options.QueueRetryDelay, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The pop receipt expired (someone else got it): it will reappear on its own.
        }

        return QueueMessageOutcome.Retried;
    }

    /// <summary>The message's current pop receipt, replaced by each visibility update.</summary>
    private sealed class Receipt(string value)
    {
        public string Value { get; set; } = value;
    }

    private TimeSpan Next(TimeSpan wait)
    {
        var doubled = wait == TimeSpan.Zero ? MinPollInterval : wait * 2;
        return doubled > _options.QueuePollInterval ? _options.QueuePollInterval : doubled;
    }
}
