using FestivalReservations.Core.Notifications;
using FestivalReservations.DevHost;
using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;
using FestivalReservations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.DevHost;

public class ConfigurationTests
{
    [Fact]
    public void ReadLocalSettings_MapsDoubleUnderscoreToColon()
    {
        var values = DevHostConfiguration.ReadLocalSettings("""
            {
              "IsEncrypted": false,
              "Values": {
                "AzureWebJobsStorage": "UseDevelopmentStorage=true",
                "Storage__ConnectionString": "UseDevelopmentStorage=true",
                "DevHost__FunctionKey": "k"
              },
              "ConnectionStrings": { "Main": "x" }
            }
            """);

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["Storage:ConnectionString"]);
        Assert.Equal("k", values["DevHost:FunctionKey"]);
        Assert.Equal("x", values["ConnectionStrings:Main"]);
    }

    [Fact]
    public void Apply_CallbackWinsOverCommandLine()
    {
        var builder = new ConfigurationManager();
        DevHostConfiguration.Apply(
            builder,
            ["--DevHost:FunctionKey=from-args", "--Other=args"],
            c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["DevHost:FunctionKey"] = "from-callback" }));

        Assert.Equal("from-callback", builder["DevHost:FunctionKey"]);
        Assert.Equal("args", builder["Other"]);
    }

    [Fact]
    public void Apply_ByDefault_ReadsTheLocalSettingsFile()
    {
        var builder = new ConfigurationManager();
        DevHostConfiguration.Apply(builder, [], null);

        Assert.NotNull(DevHostConfiguration.FindLocalSettings()); // the repository has local.settings.sample.json
        Assert.Contains(builder.Sources, s => s is MemoryConfigurationSource);
    }

    [Fact]
    public void Apply_DisableLocalSettingsOnTheCommandLine_ReadsNoSettingsFile()
    {
        var builder = new ConfigurationManager();
        DevHostConfiguration.Apply(builder, ["--DevHost:DisableLocalSettings=true"], null);

        Assert.DoesNotContain(builder.Sources, s => s is MemoryConfigurationSource);
        Assert.Null(builder["Privacy:PhoneHashKey"]); // set in local.settings.sample.json
    }

    [Fact]
    public void ApplyOnly_TakesNothingButTheGivenSettings()
    {
        var builder = new ConfigurationManager();
        builder.AddEnvironmentVariables();
        DevHostConfiguration.ApplyOnly(builder, new Dictionary<string, string?> { ["DevHost:FunctionKey"] = "k" });

        var source = Assert.Single(builder.Sources);
        Assert.IsType<MemoryConfigurationSource>(source);
        Assert.DoesNotContain(builder.Sources, s => s is EnvironmentVariablesConfigurationSource);
        Assert.Equal("k", builder["DevHost:FunctionKey"]);
        Assert.Null(builder["PATH"]); // always in the environment
        Assert.Null(builder["Privacy:PhoneHashKey"]); // in local.settings.sample.json
    }

    [Fact]
    public void FindRepoRoot_FindsTheSolution()
    {
        var root = DevHostConfiguration.FindRepoRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, DevHostConfiguration.SolutionFile)));
    }

    [Fact]
    public void Options_ReadDurationsAndFlags()
    {
        var options = DevHostOptions.From(Config(new()
        {
            ["DevHost:QueueRetryDelay"] = "00:00:00.050",
            ["DevHost:QueuePollInterval"] = "00:00:01",
            ["DevHost:DisableTimers"] = "true",
        }));

        Assert.Equal(TimeSpan.FromMilliseconds(50), options.QueueRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.QueuePollInterval);
        Assert.True(options.DisableTimers);
        Assert.False(options.DisableQueues);
        Assert.Null(options.FunctionKey);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = DevHostOptions.From(Config(new()));

        Assert.Equal(TimeSpan.Zero, options.QueueRetryDelay); // the Functions host's, with no host.json to say otherwise
        Assert.Equal(TimeSpan.FromSeconds(2), options.QueuePollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.QueueVisibilityTimeout);
    }

    [Fact]
    public void Options_QueueRetryDelay_IsHostJsonsVisibilityTimeoutUnlessDevHostSetsIt()
    {
        var host = HostSettings.Parse("""{ "extensions": { "queues": { "visibilityTimeout": "00:01:00" } } }""");

        Assert.Equal(TimeSpan.FromMinutes(1), DevHostOptions.From(Config(new()), host).QueueRetryDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(200),
            DevHostOptions.From(Config(new() { ["DevHost:QueueRetryDelay"] = "00:00:00.200" }), host).QueueRetryDelay);
    }

    [Fact]
    public async Task ShippedApp_WithoutAnOverride_RetriesFailedMessagesAfterHostJsonsVisibilityTimeout()
    {
        var shipped = HostSettings.ReadFile(Path.Combine(RepositoryPaths.Root, "functions", HostSettings.FileName));
        var settings = AppSettings.For("UseDevelopmentStorage=true").Set("DevHost:QueueRetryDelay", null);

        await using var app = DevHostApp.BuildFrom(settings.ToConfiguration());

        Assert.Equal(TimeSpan.FromMinutes(1), shipped.VisibilityTimeout);
        Assert.Equal(shipped.VisibilityTimeout, app.Services.GetRequiredService<DevHostOptions>().QueueRetryDelay);
        Assert.Equal(shipped.VisibilityTimeout, app.Services.GetRequiredService<FunctionCatalog>().Host.VisibilityTimeout);
    }

    [Fact]
    public void ShippedHostJson_RetriesOfOneSms_SpanMoreThanItsSendingLease()
    {
        // A burst of Twilio 429s must not burn the five deliveries in seconds, and a delivery that
        // finds another's lease (SmsInProgress) must get a later try after that lease has run out.
        var shipped = HostSettings.ReadFile(Path.Combine(RepositoryPaths.Root, "functions", HostSettings.FileName));

        Assert.Equal(SmsSendService.MaxAttempts, shipped.MaxDequeueCount);
        Assert.True(shipped.VisibilityTimeout * (shipped.MaxDequeueCount - 1) > SmsSendService.DefaultLease,
            $"{shipped.MaxDequeueCount - 1} retries {shipped.VisibilityTimeout} apart end before a {SmsSendService.DefaultLease} lease");
    }

    [Fact]
    public void Options_RefuseABareNumberAsDuration()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DevHostOptions.From(Config(new() { ["DevHost:QueueRetryDelay"] = "2" })));

        Assert.Contains("DevHost:QueueRetryDelay", error.Message);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
