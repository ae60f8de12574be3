using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FestivalReservations.DevHost.Metadata;

/// <summary>The parts of host.json that devhost honours: the HTTP route prefix, the queues' maxDequeueCount and visibilityTimeout.</summary>
public sealed record HostSettings
{
    public const string FileName = "host.json";

    /// <summary>extensions.http.routePrefix; the Functions default is "api".</summary>
    public string RoutePrefix { get; init; } = "api";

    /// <summary>extensions.queues.maxDequeueCount; the Functions default is 5.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>
    /// extensions.queues.visibilityTimeout: how long a message whose function failed stays invisible
    /// before its next delivery (a fixed delay; the Functions default is 0, at once). devhost's
    /// DevHost:QueueRetryDelay overrides it (tests set it short).
    /// </summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

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
            VisibilityTimeout = extensions?["queues"]?["visibilityTimeout"] is JsonValue timeout ? Duration(timeout) : defaults.VisibilityTimeout,
        };
    }

    private static TimeSpan Duration(JsonValue value) =>
        value.TryGetValue<string>(out var text) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var duration) && duration >= TimeSpan.Zero
            ? duration
            : throw new InvalidDataException($"{FileName}: extensions.queues.visibilityTimeout = {value.ToJsonString()} is not a duration (hh:mm:ss).");

    /// <summary>The full route template of an HTTP function: prefix + route (or the function name when no route is set).</summary>
    public string RouteTemplate(BindingDefinition trigger, string functionName)
    {
        var route = (trigger.Route ?? functionName).Trim('/');
        return RoutePrefix.Length == 0 ? route : route.Length == 0 ? RoutePrefix : $"{RoutePrefix}/{route}";
    }
}
