using System.Diagnostics;
using System.Reflection;
using FestivalReservations.Core.Telemetry;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Invocation;

/// <summary>
/// Calls a function the way the isolated worker does: a new instance per invocation
/// (ActivatorUtilities over the invocation's services), arguments bound, the result awaited; one
/// span per invocation named after the function, as the worker's own (Invoke) span in Azure.
/// </summary>
public static class FunctionExecutor
{
    /// <summary>Invokes the function and returns what it returned (the awaited value of a Task&lt;T&gt;/ValueTask&lt;T&gt;), or null.</summary>
    public static async Task<object?> InvokeAsync(FunctionEntry function, FunctionCall invocation)
    {
        using var span = FestivalTelemetry.Source.StartActivity(function.Name, function.Trigger.TriggerKind switch
        {
            TriggerKind.Http => ActivityKind.Server,
            TriggerKind.Queue => ActivityKind.Consumer,
            _ => ActivityKind.Internal,
        });
        span?.SetTag("faas.trigger", function.Trigger.TriggerKind.ToString().ToLowerInvariant());
        var arguments = function.Arguments.Select(bind => bind(invocation)).ToArray();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(invocation.Services, function.Type);
        try
        {
            var returned = function.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            return await AwaitResultAsync(returned);
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    /// <summary>Awaits Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt;; anything else is the result itself.</summary>
    public static async Task<object?> AwaitResultAsync(object? returned)
    {
        switch (returned)
        {
            case null:
                return null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case Task task:
                await task;
                return ResultOf(task);
        }

        var type = returned.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var task = (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
            await task;
            return ResultOf(task);
        }

        return returned;
    }

    private static object? ResultOf(Task task)
    {
        var type = task.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        // Task<VoidTaskResult> (an async Task method) has a Result no one asked for.
        var result = type.GetProperty(nameof(Task<int>.Result))!;
        return result.PropertyType.FullName == "System.Threading.Tasks.VoidTaskResult" ? null : result.GetValue(task);
    }
}
