using System.Collections;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Testing;

public sealed class ChildEnvironmentTests
{
    [Fact]
    public void Build_ParentWithAppSettingsAndSecrets_PassesOnlyWhatAProcessNeedsAndTheSettings()
    {
        var parent = new Hashtable
        {
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/home/dev",
            ["Twilio__AccountSid"] = "AC-a-real-account",
            ["Twilio__AuthToken"] = "a-real-token",
            ["Reservations__CommitMode"] = "Single",
            ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:80",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["AZURITE_ACCOUNTS"] = "other:key",
        };

        var child = ChildEnvironment.Build(parent, new Dictionary<string, string> { ["Storage__ConnectionString"] = "mine" });

        Assert.Equal(
            new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/dev", ["Storage__ConnectionString"] = "mine" },
            child);
    }

    [Fact]
    public void DevHostStartInfo_HasNoVariableBeyondTheInheritedOnesAndTheSettings()
    {
        var settings = AppSettings.For("UseDevelopmentStorage=true");

        var psi = DevHostProcess.StartInfo("/devhost", "http://127.0.0.1:1", settings);

        var allowed = ChildEnvironment.Inherited.Concat(settings.ToEnvironment().Keys).ToHashSet(StringComparer.Ordinal);
        Assert.All(psi.Environment.Keys, name => Assert.Contains(name, allowed));
        Assert.Equal("true", psi.Environment["DevHost__DisableLocalSettings"]);
        Assert.Equal(settings.SmsQueueName, psi.Environment["Storage__SmsQueueName"]);
        Assert.DoesNotContain(psi.Environment.Keys, name => name.StartsWith("Twilio", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["/devhost/FestivalReservations.DevHost.dll", "--urls", "http://127.0.0.1:1"], psi.ArgumentList);
    }

    [Fact]
    public void DevHostStartInfo_WithANiceness_RunsTheAppUnderNice_OutsideWindows()
    {
        var settings = AppSettings.For("UseDevelopmentStorage=true");

        var psi = DevHostProcess.StartInfo("/devhost", "http://127.0.0.1:1", settings, niceness: 10);

        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(["/devhost/FestivalReservations.DevHost.dll", "--urls", "http://127.0.0.1:1"], psi.ArgumentList);
        }
        else
        {
            Assert.Equal("nice", psi.FileName);
            Assert.Equal(["-n", "10"], psi.ArgumentList.Take(2));
            Assert.Equal(["/devhost/FestivalReservations.DevHost.dll", "--urls", "http://127.0.0.1:1"], psi.ArgumentList.Skip(3));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => DevHostProcess.StartInfo("/devhost", "http://127.0.0.1:1", settings, niceness: 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => DevHostProcess.StartInfo("/devhost", "http://127.0.0.1:1", settings, niceness: -1));
    }
}
