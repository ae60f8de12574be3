using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.DevHost.Invocation;

/// <summary>What one call of a function has to bind from: its services, trigger payload and cancellation.</summary>
public sealed class FunctionCall
{
    /// <summary>The scope's services; the function class is created from these.</summary>
    public required IServiceProvider Services { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>HTTP trigger: the request's context.</summary>
    public HttpContext? HttpContext { get; init; }

    /// <summary>Queue trigger: the message text (already Base64-decoded).</summary>
    public BinaryData? QueuePayload { get; init; }

    /// <summary>Queue trigger: the message itself, when it came from a queue (not from an admin invoke).</summary>
    public QueueMessage? QueueMessage { get; init; }

    /// <summary>Timer trigger.</summary>
    public TimerInfo? Timer { get; init; }
}
