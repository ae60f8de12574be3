namespace FestivalReservations.Tests.Infrastructure;

public sealed class SettingsCheckTests
{
    private readonly IReadOnlyList<string> _options = OptionsSettings.Discover();
    private readonly IReadOnlyList<string> _local = SettingsSources.LocalSample();
    private readonly IReadOnlyList<string> _azure = AzureSettings(BicepCli.BuildMainTemplate());

    [Fact]
    public void Discover_OptionsClasses_FindsSettableProperties()
    {
        Assert.Contains("Storage__TableServiceUri", _options);
        Assert.Contains("Twilio__StatusCallbackUrl", _options);
        Assert.Contains("Reservations__CommitMode", _options);
        Assert.DoesNotContain("Storage__UsesConnectionString", _options);
        Assert.DoesNotContain("Twilio__IsConfigured", _options);
    }

    [Fact]
    public void Problems_RepositorySettings_None()
    {
        var problems = Check(_local, _azure);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Problems_SettingRemovedFromSample_ReportsIt()
    {
        var problems = Check(Without(_local, "Twilio__From"), _azure);

        Assert.Equal(["Twilio__From is read by the app but missing from local.settings.sample.json"], problems);
    }

    [Fact]
    public void Problems_SettingRemovedFromBicep_ReportsIt()
    {
        var problems = Check(_local, Without(_azure, "Privacy__PhoneHashKey"));

        Assert.Equal(["Privacy__PhoneHashKey is read by the app but missing from the Bicep app settings"], problems);
    }

    [Fact]
    public void Problems_UnknownSettingInSample_ReportsIt()
    {
        var problems = Check([.. _local, "Twilio__ApiKey"], _azure);

        Assert.Equal(
            ["Twilio__ApiKey in local.settings.sample.json is neither an options setting nor an allowed host setting"],
            problems);
    }

    [Fact]
    public void Problems_UnknownSettingInBicep_ReportsIt()
    {
        var problems = Check(_local, [.. _azure, "Storage__AccountKey"]);

        Assert.Equal(
            ["Storage__AccountKey in the Bicep app settings is neither an options setting nor an allowed host setting"],
            problems);
    }

    [Fact]
    public void Problems_LocalOnlySettingInBicep_ReportsIt()
    {
        var problems = Check(_local, [.. _azure, "DevHost__FunctionKey"]);

        var problem = Assert.Single(problems);
        Assert.StartsWith("DevHost__FunctionKey does not belong in the Bicep app settings", problem);
    }

    [Fact]
    public void Problems_HostStorageIdentityMissingFromBicep_ReportsIt()
    {
        var problems = Check(_local, Without(_azure, "AzureWebJobsStorage__accountName"));

        var problem = Assert.Single(problems);
        Assert.StartsWith("AzureWebJobsStorage__accountName is required in the Bicep app settings", problem);
    }

    [Fact]
    public void Problems_LineDeletedFromApiBicep_ReportsThatSetting()
    {
        // End to end through the real reader: edit a copy of infra/, compile it, check it.
        var copy = Directory.CreateTempSubdirectory("infra-");
        try
        {
            CopyFolder(BuildMetadata.InRepository("infra"), copy.FullName);
            var api = Path.Combine(copy.FullName, "app", "api.bicep");
            File.WriteAllLines(api, File.ReadAllLines(api).Where(line => !line.TrimStart().StartsWith("Twilio__From:", StringComparison.Ordinal)));

            var azure = AzureSettings(BicepCli.Run("build", Path.Combine(copy.FullName, "main.bicep"), "--stdout"));

            Assert.Equal(["Twilio__From is read by the app but missing from the Bicep app settings"], Check(_local, azure));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private IReadOnlyList<string> Check(IReadOnlyCollection<string> local, IReadOnlyCollection<string> azure) =>
        SettingsCheck.Problems(_options, local, azure, HostSettings.AllowList);

    private static IReadOnlyList<string> AzureSettings(BicepResult build)
    {
        Assert.True(build.ExitCode == 0, build.ToString());
        return SettingsSources.ArmAppSettings(build.StandardOutput);
    }

    private static string[] Without(IEnumerable<string> settings, string removed)
    {
        var remaining = settings.Where(setting => setting != removed).ToArray();
        Assert.NotEqual(settings.Count(), remaining.Length);
        return remaining;
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
