namespace FestivalReservations.DevHost.Metadata;

/// <summary>One function as written in functions.metadata.</summary>
public sealed record FunctionDescriptor
{
    public required string Name { get; init; }

    /// <summary>The assembly file holding the function, e.g. FestivalReservations.Functions.dll.</summary>
    public required string ScriptFile { get; init; }

    /// <summary>Namespace.Class.Method.</summary>
    public required string EntryPoint { get; init; }

    public IReadOnlyList<BindingDefinition> Bindings { get; init; } = [];

    /// <summary>The single trigger binding; throws with the function's name when there is none or several.</summary>
    public BindingDefinition Trigger
    {
        get
        {
            var triggers = Bindings.Where(b => b.IsTrigger).ToList();
            return triggers.Count == 1
                ? triggers[0]
                : throw new InvalidOperationException($"Function '{Name}' has {triggers.Count} trigger bindings; exactly one is expected.");
        }
    }

    public string TypeName => EntryPoint[..SplitAt()];

    public string MethodName => EntryPoint[(SplitAt() + 1)..];

    private int SplitAt()
    {
        var dot = EntryPoint.LastIndexOf('.');
        return dot > 0 && dot < EntryPoint.Length - 1
            ? dot
            : throw new InvalidOperationException($"Function '{Name}' has entryPoint '{EntryPoint}', expected Namespace.Class.Method.");
    }
}
