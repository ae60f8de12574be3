using System.Collections.Concurrent;
using FestivalReservations.Core.Notifications.Sending;

namespace FestivalReservations.Tests.Notifications;

/// <summary>An ISmsSender for tests: counts what it sent, fails on demand, and can lose the reply of a send it made.</summary>
public sealed class RecordingSmsSender : ISmsSender
{
    private readonly ConcurrentQueue<(SmsSendRequest Request, string Sid)> _accepted = new();
    private int _attempts;
    private int _lookups;

    public string Name => "recording sender (tests)";

    /// <summary>Every message the provider has (whether or not the sender heard back).</summary>
    public ConcurrentQueue<SmsSendRequest> Sent { get; } = new();

    /// <summary>When it returns an exception for a request, that attempt throws it (and sends nothing).</summary>
    public Func<SmsSendRequest, Exception?>? Fail { get; set; }

    /// <summary>When it returns true for a request, that attempt sends it and then loses the reply (an unknown outcome).</summary>
    public Func<SmsSendRequest, bool>? LoseReply { get; set; }

    /// <summary>When it returns an exception, a look-up throws it.</summary>
    public Func<SmsSendRequest, Exception?>? FailLookup { get; set; }

    /// <summary>Runs once the provider has accepted a message, before the sender hears back (e.g. a status callback that outruns the reply).</summary>
    public Func<SmsSendRequest, string, Task>? Accepted { get; set; }

    public int Attempts => Volatile.Read(ref _attempts);

    public int Lookups => Volatile.Read(ref _lookups);

    public int SentCount(string messageId) => Sent.Count(m => m.MessageId == messageId);

    /// <summary>The SID the provider gave the first message of this id.</summary>
    public string? SidOf(string messageId) => _accepted.FirstOrDefault(a => a.Request.MessageId == messageId).Sid;

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
        _accepted.Enqueue((request, sid));
        if (Accepted is { } accepted)
        {
            await accepted(request, sid);
        }

        return LoseReply?.Invoke(request) == true
            ? throw SmsSendException.Unknown("Twilio unreachable (network or timeout)")
            : new SmsSendResult(sid);
    }

    public Task<SmsSendResult?> FindSentAsync(SmsSendRequest request, DateTimeOffset since, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (FailLookup?.Invoke(request) is { } error)
        {
            throw error;
        }

        var found = _accepted.FirstOrDefault(a => a.Request.To == request.To && a.Request.Text == request.Text);
        return Task.FromResult(found.Sid is null ? null : new SmsSendResult(found.Sid));
    }
}
