using System.Text.Json;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>Reads setting names from local.settings.sample.json and from the compiled ARM template.</summary>
internal static class SettingsSources
{
    public static IReadOnlyList<string> LocalSample() =>
        LocalSample(File.ReadAllText(BuildMetadata.InRepository(SettingsCheck.LocalName)));

    public static IReadOnlyList<string> LocalSample(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("Values").EnumerateObject().Select(property => property.Name)];
    }

    /// <summary>
    /// The names in the Function App's <c>Microsoft.Web/sites/config</c> 'appsettings' resource,
    /// wherever it sits among the nested module deployments. The object must be literal in Bicep.
    /// </summary>
    public static IReadOnlyList<string> ArmAppSettings(string armJson)
    {
        using var document = JsonDocument.Parse(armJson);
        var appSettings = Resources(document.RootElement)
            .Where(resource => resource.TryGetProperty("type", out var type)
                && type.ValueEquals("Microsoft.Web/sites/config")
                && resource.GetProperty("name").GetString()!.Contains("appsettings", StringComparison.Ordinal))
            .ToList();
        if (appSettings.Count != 1)
        {
            throw new InvalidOperationException($"Expected one appsettings resource in the template, found {appSettings.Count}.");
        }

        var properties = appSettings[0].GetProperty("properties");
        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException(
                "The app settings compile to an expression, not an object: keep them a literal object in infra/app/api.bicep.");
        }

        return [.. properties.EnumerateObject().Select(property => property.Name)];
    }

    private static IEnumerable<JsonElement> Resources(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => (element.TryGetProperty("type", out _) ? [element] : Enumerable.Empty<JsonElement>())
            .Concat(element.EnumerateObject().SelectMany(property => Resources(property.Value))),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Resources),
        _ => [],
    };
}
