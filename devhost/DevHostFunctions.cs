using Azure.Storage.Queues.Models;
using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;
using FestivalReservations.DevHost.Timers;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.DevHost;

/// <summary>
/// The functions devhost runs, and a way to invoke a non-HTTP one now (what the real host offers
/// as POST /admin/functions/{name}); tests use <see cref="InvokeTimerAsync"/>. Each invocation
/// gets its own DI scope, as in the Functions host.
/// </summary>
public sealed class DevHostFunctions(FunctionCatalog catalog, IServiceScopeFactory scopes, IConfiguration configuration)
{
    private readonly FunctionCatalog _catalog = catalog;
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly IConfiguration _configuration = configuration;

    public IReadOnlyList<FunctionEntry> Functions => _catalog.Functions;

    public FunctionEntry? Find(string functionName) => _catalog.Find(functionName);

    /// <summary>Runs a timer function now (IsPastDue false); its exception, if any, is thrown to the caller.</summary>
    public Task InvokeTimerAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var function = Require(functionName);
        return function.Trigger.TriggerKind == TriggerKind.Timer
            ? InvokeAsync(function, NewTimerInfo(function), cancellationToken)
            : throw new InvalidOperationException($"Function '{functionName}' is a {function.Trigger.Type}, not a timer trigger.");
    }

    /// <summary>
    /// Runs a timer or queue function now; for a queue function <paramref name="input"/> is the
    /// message text (as the real host's admin endpoint takes it). Exceptions reach the caller and
    /// nothing is retried or poisoned.
    /// </summary>
    public Task InvokeAsync(string functionName, string? input, CancellationToken cancellationToken = default)
    {
        var function = Require(functionName);
        return function.Trigger.TriggerKind switch
        {
            TriggerKind.Timer => InvokeAsync(function, NewTimerInfo(function), cancellationToken),
            TriggerKind.Queue => InvokeAsync(function, BinaryData.FromString(input ?? string.Empty), null, cancellationToken),
            _ => throw new InvalidOperationException($"Function '{functionName}' is an HTTP function: call its route instead."),
        };
    }

    internal async Task InvokeAsync(FunctionEntry function, TimerInfo timer, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await FunctionExecutor.InvokeAsync(function, new FunctionCall
        {
            Services = scope.ServiceProvider,
            Timer = timer,
            CancellationToken = cancellationToken,
        });
    }

    internal async Task InvokeAsync(FunctionEntry function, BinaryData payload, QueueMessage? message, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await FunctionExecutor.InvokeAsync(function, new FunctionCall
        {
            Services = scope.ServiceProvider,
            QueuePayload = payload,
            QueueMessage = message,
            CancellationToken = cancellationToken,
        });
    }

    private TimerInfo NewTimerInfo(FunctionEntry function)
    {
        var now = DateTime.UtcNow;
        var next = TimerSchedule.Parse(function.Trigger.Schedule ?? string.Empty, _configuration, function.Name).Next(now);
        return new TimerInfo
        {
            IsPastDue = false,
            ScheduleStatus = new ScheduleStatus { Last = now, Next = next?.UtcDateTime ?? now, LastUpdated = now },
        };
    }

    private FunctionEntry Require(string functionName) =>
        _catalog.Find(functionName) ?? throw new KeyNotFoundException($"No function named '{functionName}'.");
}
