using System.Collections.Concurrent;
using FestivalReservations.Core.Notifications.Sending;

namespace FestivalReservations.Tests.Notifications;

/// <summary>An ISmsSender for tests: counts what it sent, and fails on demand.</summary>
public sealed class RecordingSmsSender : ISmsSender
{
    private int _attempts;

    public string Name => "recording sender (tests)";

    public ConcurrentQueue<SmsSendRequest> Sent { get; } = new();

    /// <summary>When it returns an exception for a request, that attempt throws it.</summary>
    public Func<SmsSendRequest, Exception?>? Fail { get; set; }

    /// <summary>Runs once the provider has accepted a message, before the sender hears back (e.g. a status callback that outruns the reply).</summary>
    public Func<SmsSendRequest, string, Task>? Accepted { get; set; }

    public int Attempts => Volatile.Read(ref _attempts);

    public int SentCount(string messageId) => Sent.Count(m => m.MessageId == messageId);

    public async Task<SmsSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        await Task.Delay(20, cancellationToken); // a network call takes a moment: lets duplicates overlap
        if (Fail?.Invoke(request) is { } error)
        {
            throw error;
        }

        Sent.Enqueue(request);
        var sid = "SMTEST" + Guid.NewGuid().ToString("N");
        if (Accepted is { } accepted)
        {
            await accepted(request, sid);
        }

        return new SmsSendResult(sid);
    }
}
