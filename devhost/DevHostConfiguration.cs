using System.Text.Json;

namespace FestivalReservations.DevHost;

/// <summary>
/// devhost's configuration, in the order that wins last: local.settings(.sample).json "Values"
/// (A__B keys become A:B, as the Functions host does with app settings), environment variables,
/// the command line, then the caller's callback. No appsettings files.
/// DevHost:DisableLocalSettings=true (environment or command line) leaves the file out; an app
/// under test is configured by <see cref="ApplyOnly"/> instead, from nothing but its own settings.
/// </summary>
public static class DevHostConfiguration
{
    public const string SolutionFile = "FestivalReservations.sln";

    public static void Apply(IConfigurationBuilder configuration, string[] args, Action<IConfigurationBuilder>? configure)
    {
        configuration.Sources.Clear();
        var settingsFile = ReadsLocalSettings(args) ? FindLocalSettings() : null;
        if (settingsFile is not null)
        {
            configuration.AddInMemoryCollection(ReadLocalSettings(File.ReadAllText(settingsFile)));
        }

        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        configure?.Invoke(configuration);
    }

    /// <summary>
    /// Exactly <paramref name="settings"/> and nothing else: no local.settings file, no environment
    /// variables, no command line. A test's app must not pick up a developer's Twilio account.
    /// </summary>
    public static void ApplyOnly(IConfigurationBuilder configuration, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(settings);
    }

    /// <summary>False when the environment or the command line sets DevHost:DisableLocalSettings (the file cannot turn itself off).</summary>
    public static bool ReadsLocalSettings(string[] args)
    {
        var early = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        return !DevHostOptions.From(early).DisableLocalSettings;
    }

    /// <summary>functions/local.settings.json if present, else local.settings.sample.json, both under the repo root; null when neither exists.</summary>
    public static string? FindLocalSettings()
    {
        var root = FindRepoRoot(AppContext.BaseDirectory) ?? FindRepoRoot(Directory.GetCurrentDirectory());
        if (root is null)
        {
            return null;
        }

        return new[] { Path.Combine(root, "functions", "local.settings.json"), Path.Combine(root, "local.settings.sample.json") }
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> that holds FestivalReservations.sln.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The "Values" (and "ConnectionStrings") of a local.settings.json as configuration keys.</summary>
    public static IReadOnlyDictionary<string, string?> ReadLocalSettings(string json)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.TryGetProperty("Values", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var value in values.EnumerateObject())
            {
                result[value.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = Text(value.Value);
            }
        }

        if (document.RootElement.TryGetProperty("ConnectionStrings", out var connections) && connections.ValueKind == JsonValueKind.Object)
        {
            foreach (var connection in connections.EnumerateObject())
            {
                result[ConfigurationPath.Combine("ConnectionStrings", connection.Name)] = Text(connection.Value);
            }
        }

        return result;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
