using System.Text.Json;
using System.Text.Json.Nodes;

namespace FestivalReservations.DevHost.Metadata;

/// <summary>The parts of host.json that devhost honours: the HTTP route prefix and the queues' maxDequeueCount.</summary>
public sealed record HostSettings
{
    public const string FileName = "host.json";

    /// <summary>extensions.http.routePrefix; the Functions default is "api".</summary>
    public string RoutePrefix { get; init; } = "api";

    /// <summary>extensions.queues.maxDequeueCount; the Functions default is 5.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    public static HostSettings ReadFile(string path) => File.Exists(path) ? Parse(File.ReadAllText(path)) : new HostSettings();

    public static HostSettings Parse(string json)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = root?["extensions"];
        var defaults = new HostSettings();
        return new HostSettings
        {
            RoutePrefix = extensions?["http"]?["routePrefix"] is JsonValue prefix && prefix.TryGetValue<string>(out var p) ? p.Trim('/') : defaults.RoutePrefix,
            MaxDequeueCount = extensions?["queues"]?["maxDequeueCount"] is JsonValue max && max.TryGetValue<int>(out var m) && m > 0 ? m : defaults.MaxDequeueCount,
        };
    }

    /// <summary>The full route template of an HTTP function: prefix + route (or the function name when no route is set).</summary>
    public string RouteTemplate(BindingDefinition trigger, string functionName)
    {
        var route = (trigger.Route ?? functionName).Trim('/');
        return RoutePrefix.Length == 0 ? route : route.Length == 0 ? RoutePrefix : $"{RoutePrefix}/{route}";
    }
}
