using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Tests.DevHost;

/// <summary>Function classes for devhost's tests, described by <see cref="SampleMetadata"/> (no Worker SDK here).</summary>
public sealed class SampleHttpFunctions
{
    public IActionResult Echo(HttpRequest request, string name, int count) =>
        new OkObjectResult(new { Name = name, Count = count, Method = request.Method });

    public async Task<IActionResult> Secret(HttpRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new OkObjectResult(new { Secret = true });
    }

    public IResult Minimal(HttpRequest request) => Results.Json(new { Kind = "minimal" }, statusCode: 201);

    public ValueTask<IActionResult> Problem(HttpRequest request) =>
        ValueTask.FromResult<IActionResult>(new ObjectResult(new ProblemDetails { Title = "Nope", Status = 409 }) { StatusCode = 409 });

    public IActionResult Boom(HttpRequest request) => throw new InvalidOperationException("secret storage detail");

    public IActionResult WithContext(HttpRequest request, FunctionContext context) => new OkResult();
}

public sealed record SampleMessage(string ReservationCode, int Attempt);

public sealed class SampleQueueFunctions
{
    public static ConcurrentQueue<object?> Received { get; } = new();

    public void OnString(string message) => Received.Enqueue(message);

    public Task OnPoco(SampleMessage message, CancellationToken cancellationToken)
    {
        Received.Enqueue(message);
        return Task.CompletedTask;
    }

    public void OnBytes(byte[] message) => Received.Enqueue(message);

    public void OnBinary(BinaryData message) => Received.Enqueue(message);
}

public sealed class SampleTimerFunctions
{
    public static ConcurrentQueue<TimerInfo> Fired { get; } = new();

    public void Tick(TimerInfo timer, CancellationToken cancellationToken) => Fired.Enqueue(timer);
}
