using System.Reflection;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Invocation;

/// <summary>A function ready to call: its metadata, the resolved class and method, and how to bind each parameter.</summary>
public sealed record FunctionEntry(
    FunctionDescriptor Definition,
    Type Type,
    MethodInfo Method,
    IReadOnlyList<Func<FunctionCall, object?>> Arguments)
{
    public string Name => Definition.Name;

    public BindingDefinition Trigger => Definition.Trigger;
}
