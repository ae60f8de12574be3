using System.Text.RegularExpressions;

namespace FestivalReservations.DevHost.Metadata;

/// <summary>Expands %SettingName% in binding values (queue names, schedules) from configuration, as the Functions host does.</summary>
public static partial class SettingExpander
{
    public static string Expand(string value, IConfiguration configuration, string functionName) =>
        Token().Replace(value, match =>
        {
            var key = match.Groups[1].Value.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            var setting = configuration[key];
            return !string.IsNullOrEmpty(setting)
                ? setting
                : throw new InvalidOperationException($"Function '{functionName}' refers to setting '{match.Groups[1].Value}' ({match.Value}), which is not configured.");
        });

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Token();
}
