using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace FestivalReservations.Tests.EndToEnd.OpenApi;

/// <summary>A response as the check sees it: what was asked, what came back.</summary>
public sealed record ObservedResponse(string Method, string Path, int Status, string? MediaType, string Body)
{
    public override string ToString() => $"{Method} {Path} → {Status} {MediaType ?? "(no content type)"}";
}

/// <summary>
/// The rule: a response meets openapi.json when its operation is documented, its status is (exact, range or <c>default</c>),
/// its media type is one the status lists (none when it lists none, then the body is empty) and a JSON body validates
/// against that media type's schema. A request to a route the document does not have must be refused (400 for a path the
/// server cannot take, 404, 405), with problem details when it has a body: that the document lists every route the build has
/// is OpenApiTests' job.
/// </summary>
public static class ResponseCheck
{
    private const int BodyStart = 300;

    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    /// <summary>What is wrong with <paramref name="response"/> (null when nothing is); <paramref name="operation"/> is what the document matched, if anything.</summary>
    public static string? Violation(OpenApiContract contract, DocumentedOperation? operation, ObservedResponse response)
    {
        if (operation is null)
        {
            var refused = response.Status is 400 or 404 or 405;
            if (!refused)
            {
                return Describe(response, "no operation in openapi.json matches this method and path, yet it was not refused (400/404/405)");
            }

            return response.Body.Length == 0 ? null : Validate(contract.Problem, response, "the refusal of an undocumented route");
        }

        var documented = operation.ResponseFor(response.Status);
        if (documented is null)
        {
            return Describe(response, $"{operation} does not document status {response.Status} (it lists {string.Join(", ", operation.Responses.Keys)})");
        }

        if (documented.Content.Count == 0)
        {
            return response.Body.Length == 0
                ? null
                : Describe(response, $"{operation} documents {response.Status} without content, yet the response has a body");
        }

        var mediaType = response.MediaType ?? "";
        if (!documented.Content.TryGetValue(mediaType, out var schema))
        {
            return Describe(response, $"{operation} documents {response.Status} as {string.Join(" or ", documented.Content.Keys)}, not '{mediaType}'");
        }

        return schema is null ? null : Validate(schema, response, operation.ToString());
    }

    private static string? Validate(JsonSchema schema, ObservedResponse response, string what)
    {
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(response.Body);
        }
        catch (JsonException e)
        {
            return Describe(response, $"{what}: the body is not JSON ({e.Message})");
        }

        var results = schema.Evaluate(body, Options);
        if (results.IsValid)
        {
            return null;
        }

        var errors = (results.Details ?? [])
            .Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"  at {(d.InstanceLocation.Count == 0 ? "/" : d.InstanceLocation.ToString())}: {Explain(d.EvaluationPath.ToString(), e.Key, e.Value)} (schema {d.EvaluationPath})"))
            .Distinct()
            .Take(12);
        return Describe(response, $"{what}: the body does not meet the schema:\n{string.Join('\n', errors)}");
    }

    private static string Explain(string evaluationPath, string keyword, string message) =>
        evaluationPath.EndsWith("/unevaluatedProperties", StringComparison.Ordinal) || keyword == "falseSchema"
            ? "a property the document does not describe"
            : $"{keyword}: {message}";

    private static string Describe(ObservedResponse response, string problem) =>
        $"openapi.json drift: {response}\n{problem}\nbody starts: {(response.Body.Length <= BodyStart ? response.Body : response.Body[..BodyStart] + "…")}";
}
