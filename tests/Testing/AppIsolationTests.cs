using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Storage;
using FestivalReservations.Testing;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Testing;

/// <summary>An app under test is configured by its own settings only, and has an sms queue of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AppIsolationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunningApp_ReadsNeitherLocalSettingsNorTheEnvironment_AndLogsSms()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var configuration = app.Services.GetRequiredService<IConfiguration>();

        Assert.Null(configuration["Reservations:MaxCommitAttempts"]); // in local.settings.sample.json
        Assert.Null(configuration["PATH"]); // in every environment
        Assert.IsType<LoggingSmsSender>(app.Services.GetRequiredService<ISmsSender>());
    }

    [Fact]
    public async Task TwoRunningApps_UseSmsQueuesOfTheirOwn()
    {
        await using var first = await RunningApp.StartAsync(azurite);
        await using var second = await RunningApp.StartAsync(azurite);

        Assert.Equal(first.Settings.SmsQueueName, first.Services.GetRequiredService<StorageTables>().SmsQueue.Name);
        Assert.NotEqual(first.SmsQueue.Name, second.SmsQueue.Name);
        Assert.NotEqual(StorageTables.DefaultSmsQueueName, first.SmsQueue.Name);
        Assert.True(await first.SmsQueue.ExistsAsync());
    }

    [Fact]
    public async Task DevHostProcess_TestSettings_LogsSmsInsteadOfSendingThem()
    {
        await using var app = await DevHostProcess.StartAsync(RunningApp.DefaultSettings(azurite));

        Assert.Contains(app.Output.Lines, line => line.Contains("SMS sender: logging sender", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Output.Lines, line => line.Contains("SMS sender: Twilio", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DevHostProcess_StartedWithANiceness_RunsEveryThreadAtIt()
    {
        await using var app = await DevHostProcess.StartAsync(RunningApp.DefaultSettings(azurite), niceness: 7);

        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(System.Diagnostics.ProcessPriorityClass.BelowNormal, System.Diagnostics.Process.GetProcessById(app.ProcessId).PriorityClass);
            return;
        }

        // /proc/<pid>/task/<tid>/stat: field 19 is the thread's nice value (after the command in parentheses).
        var threads = Directory.GetDirectories($"/proc/{app.ProcessId}/task");
        Assert.True(threads.Length > 1);
        Assert.All(threads, task =>
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            Assert.Equal("7", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
        });
    }
}
