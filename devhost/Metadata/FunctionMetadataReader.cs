using System.Text.Json;
using System.Text.Json.Nodes;

namespace FestivalReservations.DevHost.Metadata;

/// <summary>Reads functions.metadata, the JSON array the Worker SDK writes at build time.</summary>
public static class FunctionMetadataReader
{
    public const string FileName = "functions.metadata";

    public static IReadOnlyList<FunctionDescriptor> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"devhost needs {FileName} next to its assembly (copied from the functions build); not found at {path}. Build the solution first.",
                path);
        }

        return Parse(File.ReadAllText(path));
    }

    public static IReadOnlyList<FunctionDescriptor> Parse(string json)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            as JsonArray ?? throw new InvalidDataException($"{FileName} must hold a JSON array of functions.");

        return [.. root.OfType<JsonObject>().Select(ReadFunction)];
    }

    private static FunctionDescriptor ReadFunction(JsonObject function)
    {
        var name = String(function, "name") ?? throw new InvalidDataException($"A function in {FileName} has no name.");
        return new FunctionDescriptor
        {
            Name = name,
            ScriptFile = String(function, "scriptFile") ?? throw new InvalidDataException($"Function '{name}' has no scriptFile."),
            EntryPoint = String(function, "entryPoint") ?? throw new InvalidDataException($"Function '{name}' has no entryPoint."),
            Bindings = function["bindings"] is JsonArray bindings ? [.. bindings.OfType<JsonObject>().Select(b => ReadBinding(name, b))] : [],
        };
    }

    private static BindingDefinition ReadBinding(string functionName, JsonObject binding) => new()
    {
        Name = String(binding, "name") ?? throw new InvalidDataException($"A binding of function '{functionName}' has no name."),
        Type = String(binding, "type") ?? throw new InvalidDataException($"A binding of function '{functionName}' has no type."),
        Direction = String(binding, "direction") ?? "In",
        AuthLevel = String(binding, "authLevel"),
        Methods = binding["methods"] is JsonArray methods
            ? [.. methods.Select(m => m?.GetValue<string>().ToUpperInvariant()).OfType<string>()]
            : [],
        Route = String(binding, "route"),
        QueueName = String(binding, "queueName"),
        Connection = String(binding, "connection"),
        Schedule = String(binding, "schedule"),
        RunOnStartup = binding["runOnStartup"] is JsonValue run && run.TryGetValue<bool>(out var value) && value,
    };

    private static string? String(JsonObject node, string property)
    {
        // The SDK writes camelCase; accept any casing to be safe.
        foreach (var (key, value) in node)
        {
            if (string.Equals(key, property, StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s;
            }
        }

        return null;
    }
}
