using System.Reflection;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Invocation;

/// <summary>
/// Every function of the metadata, resolved by reflection and checked once at start: a function
/// devhost could not run makes the start fail with a message that names it.
/// </summary>
public sealed class FunctionCatalog
{
    private readonly Dictionary<string, FunctionEntry> _byName;

    private FunctionCatalog(IReadOnlyList<FunctionEntry> functions, HostSettings host)
    {
        Functions = functions;
        Host = host;
        _byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<FunctionEntry> Functions { get; }

    public HostSettings Host { get; }

    public FunctionEntry? Find(string name) => _byName.GetValueOrDefault(name);

    public static FunctionCatalog Create(IEnumerable<FunctionDescriptor> definitions, HostSettings host) =>
        new([.. definitions.Select(Resolve)], host);

    public static FunctionEntry Resolve(FunctionDescriptor definition)
    {
        var trigger = definition.Trigger;
        if (trigger.TriggerKind == TriggerKind.Unsupported)
        {
            throw new InvalidOperationException($"devhost cannot run function '{definition.Name}': trigger type '{trigger.Type}' is not supported (only httpTrigger, queueTrigger, timerTrigger).");
        }

        foreach (var binding in definition.Bindings.Where(b => !b.IsTrigger && !b.IsHttpReturn))
        {
            throw new InvalidOperationException(
                $"devhost cannot run function '{definition.Name}': binding '{binding.Name}' ({binding.Type}, {binding.Direction}) is not supported; inject a client through DI instead.");
        }

        var type = ResolveType(definition);
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == definition.MethodName)
            .ToList();
        if (methods.Count != 1)
        {
            throw new InvalidOperationException(
                $"devhost cannot run function '{definition.Name}': {type.FullName} has {methods.Count} public methods named '{definition.MethodName}', expected one.");
        }

        var method = methods[0];
        return new FunctionEntry(definition, type, method, ParameterBinder.Create(definition, method));
    }

    private static Type ResolveType(FunctionDescriptor definition)
    {
        var assemblyName = Path.GetFileNameWithoutExtension(definition.ScriptFile);
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == assemblyName);
        if (assembly is null)
        {
            try
            {
                assembly = Assembly.Load(new AssemblyName(assemblyName));
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                throw new InvalidOperationException($"devhost cannot run function '{definition.Name}': assembly '{assemblyName}' could not be loaded.", ex);
            }
        }

        return assembly.GetType(definition.TypeName, throwOnError: false)
            ?? throw new InvalidOperationException($"devhost cannot run function '{definition.Name}': type '{definition.TypeName}' not found in {assemblyName}.");
    }
}
