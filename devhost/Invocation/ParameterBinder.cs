using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using FestivalReservations.Core.Json;
using FestivalReservations.DevHost.Metadata;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.DevHost.Invocation;

/// <summary>
/// Decides, once at start, where each parameter of a function method comes from, and refuses
/// (with the function's name) any parameter devhost cannot bind.
/// </summary>
public static class ParameterBinder
{
    public static IReadOnlyList<Func<FunctionCall, object?>> Create(FunctionDescriptor function, MethodInfo method)
    {
        var trigger = function.Trigger;
        return [.. method.GetParameters().Select(p => ForParameter(function, trigger, p))];
    }

    private static Func<FunctionCall, object?> ForParameter(FunctionDescriptor function, BindingDefinition trigger, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var name = parameter.Name ?? string.Empty;

        if (type == typeof(CancellationToken))
        {
            return i => i.CancellationToken;
        }

        if (type == typeof(FunctionContext))
        {
            throw Refuse(function, parameter, "FunctionContext is not supported by devhost; inject what you need (ILogger<T>, clients) through the constructor");
        }

        var isTriggerParameter = string.Equals(name, trigger.Name, StringComparison.Ordinal);
        return trigger.TriggerKind switch
        {
            TriggerKind.Http => ForHttp(function, parameter, isTriggerParameter),
            TriggerKind.Queue when isTriggerParameter => ForQueueMessage(function, parameter),
            TriggerKind.Timer when isTriggerParameter && type == typeof(TimerInfo) => i => i.Timer,
            _ => throw Refuse(function, parameter, "devhost binds only the trigger parameter and CancellationToken here"),
        };
    }

    private static Func<FunctionCall, object?> ForHttp(FunctionDescriptor function, ParameterInfo parameter, bool isTriggerParameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest))
        {
            return i => Http(i).Request;
        }

        if (isTriggerParameter)
        {
            throw Refuse(function, parameter, "the HTTP trigger parameter must be HttpRequest (HttpRequestData needs FunctionContext)");
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (!IsRouteValueType(target))
        {
            throw Refuse(function, parameter, "devhost binds HttpRequest, CancellationToken and route values (string, int, long, Guid, bool, ...)");
        }

        var template = function.Trigger.Route ?? string.Empty;
        if (!template.Contains('{' + parameter.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(function, parameter, $"no route token {{{parameter.Name}}} in route '{template}'");
        }

        var name = parameter.Name!;
        var converter = TypeDescriptor.GetConverter(target);
        var fallback = parameter.HasDefaultValue ? parameter.DefaultValue : type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        return i =>
        {
            var value = Http(i).GetRouteValue(name);
            if (value is null || (value is string s && s.Length == 0))
            {
                return fallback;
            }

            if (target.IsInstanceOfType(value))
            {
                return value;
            }

            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            try
            {
                return converter.ConvertFromInvariantString(text);
            }
            catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
            {
                throw new InvalidOperationException($"Function '{function.Name}': route value '{name}' is not a {target.Name}.", ex);
            }
        };
    }

    private static Func<FunctionCall, object?> ForQueueMessage(FunctionDescriptor function, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(string))
        {
            return i => Payload(i).ToString();
        }

        if (type == typeof(BinaryData))
        {
            return Payload;
        }

        if (type == typeof(byte[]))
        {
            return i => Payload(i).ToArray();
        }

        if (type == typeof(QueueMessage))
        {
            return i => i.QueueMessage ?? QueuesModelFactory.QueueMessage("admin-invoke", "admin-invoke", Payload(i), 1);
        }

        if (type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(object) || type.IsAbstract || type.ContainsGenericParameters)
        {
            throw Refuse(function, parameter, "a queue trigger binds string, BinaryData, byte[], QueueMessage or a JSON-deserializable class");
        }

        return i => JsonSerializer.Deserialize(Payload(i).ToMemory().Span, type, JsonPolicies.Stored)
            ?? throw new InvalidOperationException($"Function '{function.Name}': the queue message is JSON null.");
    }

    public static bool IsRouteValueType(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly);

    private static HttpContext Http(FunctionCall invocation) =>
        invocation.HttpContext ?? throw new InvalidOperationException("This HTTP function was invoked without an HTTP request.");

    private static BinaryData Payload(FunctionCall invocation) =>
        invocation.QueuePayload ?? throw new InvalidOperationException("This queue function was invoked without a message.");

    private static InvalidOperationException Refuse(FunctionDescriptor function, ParameterInfo parameter, string why) =>
        new($"devhost cannot run function '{function.Name}' ({function.EntryPoint}): parameter '{parameter.Name}' of type {parameter.ParameterType.Name} cannot be bound — {why}.");
}
