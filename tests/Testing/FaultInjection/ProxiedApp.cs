using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>The running app with its tables and queues reached through fault proxies in front of the shared Azurite.</summary>
public sealed class ProxiedApp : IAsyncDisposable
{
    private ProxiedApp(FaultProxies proxies, RunningApp app)
    {
        Proxies = proxies;
        App = app;
    }

    public FaultProxies Proxies { get; }

    public RunningApp App { get; }

    public static async Task<ProxiedApp> StartAsync(
        AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var proxies = await FaultProxies.StartAsync(azurite.TablePort, azurite.QueuePort, azurite.BlobPort);
        try
        {
            var all = RunningApp.DefaultSettings(azurite)
                .Set(settings)
                .Set("Storage:ConnectionString", proxies.ConnectionString)
                .Set("AzureWebJobsStorage", proxies.ConnectionString);
            return new ProxiedApp(proxies, await RunningApp.StartAsync(all, services));
        }
        catch
        {
            await proxies.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Proxies.DisposeAsync();
    }
}
