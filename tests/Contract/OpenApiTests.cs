using System.Text.Json;
using System.Text.RegularExpressions;
using FestivalReservations.Functions.OpenApi;

namespace FestivalReservations.Tests.Contract;

/// <summary>The OpenAPI document describes exactly the HTTP functions the build produced (functions.metadata).</summary>
public sealed partial class OpenApiTests
{
    [Fact]
    public void OpenApi_EveryRouteInFunctionsMetadata_IsDescribedAndNothingElse()
    {
        var implemented = MetadataRoutes();
        var described = DocumentRoutes();

        Assert.NotEmpty(implemented);
        Assert.Empty(implemented.Except(described).Order());
        Assert.Empty(described.Except(implemented).Order());
    }

    [Fact]
    public void OpenApi_Document_IsOpenApi31WithProblemSchema()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Json).RootElement;
        Assert.Equal("3.1.0", doc.GetProperty("openapi").GetString());
        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty("Problem");
        var required = problem.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("code", required);
        Assert.Contains("detail", required);
    }

    [Fact]
    public void OpenApi_StaffRoutes_RequireTheFunctionKey()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Json).RootElement;
        var staff = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/staff/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                // Anonymous routes say "security": [], so a staff route must name the function key, not just have the property.
                Assert.True(operation.Value.TryGetProperty("security", out var security), $"{operation.Name} {path.Name} has no security");
                Assert.Equal(JsonValueKind.Array, security.ValueKind);
                var schemes = security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToList();
                Assert.True(schemes.Count > 0, $"{operation.Name} {path.Name} has empty security (anonymous)");
                Assert.All(security.EnumerateArray(), r => Assert.NotEmpty(r.EnumerateObject()));
                Assert.Contains("functionKey", schemes);
                staff++;
            }
        }

        Assert.True(staff >= 10, $"only {staff} staff operations");
    }

    [Fact]
    public void OpenApi_EveryOperation_DeclaresSecurityAndSummary()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Json).RootElement;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.TryGetProperty("security", out _), $"{operation.Name} {path.Name} has no security ([] when anonymous)");
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{operation.Name} {path.Name} has no summary");
            }
        }
    }

    [Fact]
    public void OpenApi_EveryRouteWithABody_Documents413And415()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Json).RootElement;
        var withBodies = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("requestBody", out _)))
            {
                withBodies++;
                var responses = operation.Value.GetProperty("responses");
                Assert.True(responses.TryGetProperty("415", out var unsupported), $"{operation.Name} {path.Name} has no 415");
                Assert.Contains("unsupported-media-type", unsupported.GetProperty("description").GetString(), StringComparison.Ordinal);
                Assert.True(responses.TryGetProperty("413", out _), $"{operation.Name} {path.Name} has no 413");
            }
        }

        Assert.True(withBodies >= 7, $"only {withBodies} operations with a body");
    }

    /// <summary>"METHOD /path" for every HTTP trigger, with route constraints dropped ({code:alpha} → {code}).</summary>
    internal static HashSet<string> MetadataRoutes()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        var routes = new HashSet<string>();
        foreach (var function in JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger")
                {
                    continue;
                }

                // "{root:maxlength(0)?}" is how the visitor page claims the empty route.
                var raw = binding.GetProperty("route").GetString() ?? "";
                var route = "/" + (EmptyRoute().IsMatch(raw) ? "" : Constraint().Replace(raw, "}"));
                foreach (var method in binding.GetProperty("methods").EnumerateArray())
                {
                    routes.Add($"{method.GetString()!.ToUpperInvariant()} {route}");
                }
            }
        }

        return routes;
    }

    internal static HashSet<string> DocumentRoutes()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Json).RootElement;
        return doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();
    }

    [GeneratedRegex(@"^\{\w+:maxlength\(0\)\?\}$")]
    private static partial Regex EmptyRoute();

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();
}
