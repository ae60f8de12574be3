using System.Text.Json.Nodes;
using Json.Schema;

namespace FestivalReservations.Tests.EndToEnd.OpenApi;

/// <summary>One documented response: its media types, each with the JSON Schema its body must meet (null: not JSON, not checked).</summary>
public sealed record DocumentedResponse(IReadOnlyDictionary<string, JsonSchema?> Content);

/// <summary>One operation of openapi.json: the method, the path template (<c>/api/sessions/{sessionId}</c>) and its responses by status.</summary>
public sealed record DocumentedOperation(string Method, string Path, string OperationId, IReadOnlyDictionary<string, DocumentedResponse> Responses)
{
    public override string ToString() => $"{Method} {Path} ({OperationId})";

    /// <summary>The response for <paramref name="status"/>: the exact code, else its range (<c>4XX</c>), else <c>default</c>.</summary>
    public DocumentedResponse? ResponseFor(int status) =>
        Responses.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? Responses.GetValueOrDefault($"{status / 100}XX")
        ?? Responses.GetValueOrDefault("default");
}

/// <summary>
/// functions/OpenApi/openapi.json (the embedded copy the app serves) read as operations with JSON Schemas (OpenAPI 3.1 schemas are
/// JSON Schema 2020-12). Every response schema is made <em>closed</em>: an object that lists its <c>properties</c> gets
/// <c>unevaluatedProperties: false</c> unless the document says what else it may hold, so a field the code sends and the document
/// does not describe is drift too. <c>allOf</c> parts are left open and the whole closed, so a schema that extends another
/// (SessionDetail = Session + program) still accepts the union.
/// </summary>
public sealed class OpenApiContract
{
    private const string ComponentPrefix = "#/components/schemas/";
    private const string OpenSuffix = ".open";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    private static readonly Lazy<OpenApiContract> Shipped = new(() => Parse(Functions.OpenApi.OpenApiDocument.Json));

    private OpenApiContract(IReadOnlyList<DocumentedOperation> operations, JsonSchema problem)
    {
        Operations = operations;
        Problem = problem;
    }

    /// <summary>The document the app serves.</summary>
    public static OpenApiContract Document => Shipped.Value;

    public IReadOnlyList<DocumentedOperation> Operations { get; }

    /// <summary>The Problem schema, for routes no operation describes (they must still answer with problem details).</summary>
    public JsonSchema Problem { get; }

    public static OpenApiContract Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        if (root["openapi"]?.GetValue<string>() is not { } version || !version.StartsWith("3.1", StringComparison.Ordinal))
        {
            // 3.0 schemas are not JSON Schema (nullable, exclusiveMinimum as a flag): this reader would misjudge them.
            throw new InvalidOperationException($"openapi.json says openapi {root["openapi"]}; this check reads 3.1 documents only.");
        }

        var defs = Definitions(root["components"]?["schemas"]?.AsObject());
        var operations = new List<DocumentedOperation>();
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                var responses = new Dictionary<string, DocumentedResponse>(StringComparer.OrdinalIgnoreCase);
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    var content = new Dictionary<string, JsonSchema?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (mediaType, media) in response!["content"]?.AsObject() ?? [])
                    {
                        content[mediaType] = IsJson(mediaType) && media!["schema"] is { } schema ? Compile(schema, defs) : null;
                    }

                    responses[status] = new DocumentedResponse(content);
                }

                operations.Add(new DocumentedOperation(method.ToUpperInvariant(), path, operation["operationId"]!.GetValue<string>(), responses));
            }
        }

        return new OpenApiContract(operations, Compile(new JsonObject { ["$ref"] = ComponentPrefix + "Problem" }, defs));
    }

    /// <summary>
    /// The operation for a request: the templates whose segments match (a <c>{name}</c> matches one non-empty segment without
    /// control characters: no identifier of the contract has one, and the HTTP server refuses such a path before any route), the
    /// one with the most literal segments first (<c>/api/staff/tickets/day-keys</c> before a template).
    /// </summary>
    public DocumentedOperation? Find(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return Operations
            .Where(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase))
            .Select(o => (Operation: o, Template: o.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            .Where(o => o.Template.Length == segments.Length && o.Template.Zip(segments).All(p => (IsParameter(p.First) && !p.Second.Any(char.IsControl)) || string.Equals(p.First, p.Second, StringComparison.Ordinal)))
            .OrderByDescending(o => o.Template.Count(s => !IsParameter(s)))
            .Select(o => o.Operation)
            .FirstOrDefault();
    }

    /// <summary>Whether <paramref name="path"/> is a route of the document under any method (a wrong method is then a 405, not an unknown route).</summary>
    public bool HasPath(string path) => Operations.Any(o => Find(o.Method, path) is not null);

    public static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    private static JsonSchema Compile(JsonNode schema, JsonObject defs)
    {
        var root = Close(schema, open: false).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = defs.DeepClone();
        return JsonSchema.FromText(root.ToJsonString());
    }

    /// <summary>Every component twice: closed (<c>$defs/Name</c>) and open at its top (<c>$defs/Name.open</c>, for allOf parts).</summary>
    private static JsonObject Definitions(JsonObject? schemas)
    {
        var defs = new JsonObject();
        foreach (var (name, schema) in schemas ?? [])
        {
            defs[name] = Close(schema!, open: false);
            defs[name + OpenSuffix] = Close(schema!, open: true);
        }

        return defs;
    }

    /// <summary>A copy of <paramref name="node"/> with component references pointed at <c>$defs</c> and its objects closed (see the class).</summary>
    private static JsonNode Close(JsonNode node, bool open)
    {
        if (node is not JsonObject schema)
        {
            return node.DeepClone();
        }

        var copy = new JsonObject();
        foreach (var (key, value) in schema)
        {
            copy[key] = key switch
            {
                "$ref" when value!.GetValue<string>().StartsWith(ComponentPrefix, StringComparison.Ordinal) =>
                    "#/$defs/" + value.GetValue<string>()[ComponentPrefix.Length..] + (open ? OpenSuffix : ""),
                "properties" or "patternProperties" or "$defs" => Map(value!.AsObject(), v => Close(v, open: false)),
                "allOf" => new JsonArray([.. value!.AsArray().Select(v => Close(v!, open: true))]),
                "anyOf" or "oneOf" or "prefixItems" => new JsonArray([.. value!.AsArray().Select(v => Close(v!, open))]),
                "items" or "additionalProperties" or "not" or "contains" => Close(value!, open: false),
                _ => value?.DeepClone(),
            };
        }

        var describesMembers = schema.ContainsKey("properties") || schema.ContainsKey("allOf");
        var saysWhatElse = schema.ContainsKey("additionalProperties") || schema.ContainsKey("unevaluatedProperties") || schema.ContainsKey("patternProperties");
        if (!open && describesMembers && !saysWhatElse)
        {
            copy["unevaluatedProperties"] = false;
        }

        return copy;
    }

    private static JsonObject Map(JsonObject source, Func<JsonNode, JsonNode> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            result[key] = map(value!);
        }

        return result;
    }
}
