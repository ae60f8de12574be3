using FestivalReservations.Core.Storage;
using FestivalReservations.DevHost;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Tests.DevHost;

/// <summary>The app as registered, started with no storage to reach: it waits as Storage:StartupWait says, then fails.</summary>
public sealed class StartupWaitTests
{
    [Fact]
    public async Task Start_StorageUnreachable_RetriesEveryStartupRetryDelayUntilStartupWaitThenFails()
    {
        // A port nobody listens on: each storage call is refused at once (one SDK try, no SDK retries).
        var port = FreePorts.Next();
        var settings = AppSettings.For(AzuriteProcess.ConnectionStringFor(port, port, port))
            .Set("Storage:MaxRetries", "0")
            .Set("Storage:StartupWait", "00:00:03")
            .Set("Storage:StartupRetryDelay", "00:00:00.200");
        var lines = new LogLines();
        await using var app = DevHostApp.BuildFrom(settings.ToConfiguration(), services => services.AddLogging(l => l.AddProvider(lines)));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.True(StorageFailure.IsTransient(failure), $"the start failed with {failure.GetType().Name}, not storage's failure");
        var retries = lines.Where(l => l.Category == "Polly" && l.Message.Contains("OnRetry") && l.Message.Contains(StorageRetries.Startup)).ToList();
        // Tries at 0, 0.2 ... 3 s: about fifteen retries, each a warning (a slow first try on a
        // loaded machine takes some: with a 1 s wait, one CI run saw a single retry).
        Assert.InRange(retries.Count, 3, 16);
        Assert.All(retries, l => Assert.Equal(LogLevel.Warning, l.Level));
    }
}
