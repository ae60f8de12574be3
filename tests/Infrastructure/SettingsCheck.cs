namespace FestivalReservations.Tests.Infrastructure;

/// <summary>
/// Compares the settings the app reads with the two places that provide them. Names compare
/// exactly (ordinal): Azure and .NET configuration ignore case, but one spelling keeps them greppable.
/// A setting with an empty value counts as present: it documents that the app reads it.
/// </summary>
internal static class SettingsCheck
{
    public const string LocalName = "local.settings.sample.json";
    public const string AzureName = "the Bicep app settings";

    /// <returns>One line per problem; empty when both places match the app.</returns>
    public static IReadOnlyList<string> Problems(
        IReadOnlyCollection<string> optionsSettings,
        IReadOnlyCollection<string> localSettings,
        IReadOnlyCollection<string> azureSettings,
        IReadOnlyList<HostSetting> hostSettings)
    {
        var problems = new List<string>();
        Compare(Place.Local, LocalName, localSettings);
        Compare(Place.Azure, AzureName, azureSettings);
        return problems;

        void Compare(Place place, string where, IReadOnlyCollection<string> present)
        {
            var names = present.ToHashSet(StringComparer.Ordinal);
            problems.AddRange(optionsSettings
                .Where(setting => !names.Contains(setting))
                .Select(setting => $"{setting} is read by the app but missing from {where}"));
            problems.AddRange(hostSettings
                .Where(host => host.RequiredIn.HasFlag(place) && !names.Contains(host.Name))
                .Select(host => $"{host.Name} is required in {where}: {host.Reason}"));

            foreach (var setting in present.Where(setting => !optionsSettings.Contains(setting)))
            {
                var host = hostSettings.FirstOrDefault(host => host.Matches(setting));
                if (host is null)
                {
                    problems.Add($"{setting} in {where} is neither an options setting nor an allowed host setting");
                }
                else if (!host.AllowedIn.HasFlag(place))
                {
                    problems.Add($"{setting} does not belong in {where}: {host.Reason}");
                }
            }
        }
    }
}
