using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>SDK clients through fault proxies, with a short network timeout and few retries so a fault costs a test seconds, not the SDK's 10 s × 4.</summary>
public static class ProxyClients
{
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(1);

    public static Task<FaultProxies> StartAsync(AzuriteFixture azurite) =>
        FaultProxies.StartAsync(azurite.TablePort, azurite.QueuePort, azurite.BlobPort);

    public static TableClient Table(FaultProxies proxies, string tableName, int maxRetries = 0) =>
        new(proxies.ConnectionString, tableName, Configure(new TableClientOptions(), maxRetries));

    public static QueueClient Queue(FaultProxies proxies, string queueName, int maxRetries = 0) =>
        new(proxies.ConnectionString, queueName, Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, maxRetries));

    private static T Configure<T>(T options, int maxRetries) where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
