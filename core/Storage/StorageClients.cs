using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The one place that chooses how to reach storage, registered with <c>AddAzureClients</c>: a
/// connection string locally (Azurite), or the service URIs with a managed identity in Azure. The
/// credential, the retries, the timeouts and the connection pool are set once, for every client.
/// Needs <see cref="IOptions{StorageOptions}"/>: the app binds it from Storage (<see cref="StorageServices"/>);
/// a tool or test without the app's configuration registers <c>Options.Create(storageOptions)</c>.
/// </summary>
public static class StorageClients
{
    /// <summary>At most this many connections to one storage endpoint (<see cref="Transport"/> says why).</summary>
    public const int MaxConnections = 64;

    /// <summary>
    /// One connection pool for every storage call, at most <see cref="MaxConnections"/> connections
    /// to an endpoint: in a rush hundreds of concurrent calls would otherwise each open a socket,
    /// overflow the server's accept queue and wait out TCP's SYN retries (1, 3, 7 s).
    /// </summary>
    internal static readonly HttpClientTransport Transport = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = MaxConnections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });

    /// <summary>The <see cref="TableServiceClient"/>, the <see cref="QueueServiceClient"/> and the <see cref="StorageTables"/> over them.</summary>
    public static IServiceCollection AddStorageClients(this IServiceCollection services)
    {
        // AddAzureClients forwards every Azure SDK event source in the process to ILogger (devhost's
        // and tests' own clients too): a line per request naming its row or queue. Warnings and errors only.
        services.AddLogging(logging => logging.AddFilter("Azure", LogLevel.Warning));
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, provider) =>
            {
                var storage = Storage(provider);
                return storage.UsesConnectionString
                    ? new TableServiceClient(storage.ConnectionString, options)
                    : new TableServiceClient(storage.TableServiceUri, credential, options);
            });
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential, provider) =>
            {
                var storage = Storage(provider);
                return storage.UsesConnectionString
                    ? new QueueServiceClient(storage.ConnectionString, options)
                    : new QueueServiceClient(storage.QueueServiceUri, credential, options);
            })
                // Base64, as the Functions host's queue trigger expects.
                .ConfigureOptions(options => options.MessageEncoding = QueueMessageEncoding.Base64);
            clients.UseCredential(provider => Credential(Storage(provider)));
            clients.ConfigureDefaults((options, provider) => Configure(options, Storage(provider)));
        });
        services.AddSingleton<StorageTables>();
        return services;
    }

    /// <summary>What every storage client gets: the shared pool, exponential retries from 200 ms to 2 s, Storage's timeout.</summary>
    internal static void Configure(ClientOptions client, StorageOptions storage)
    {
        client.Transport = Transport;
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = storage.MaxRetries;
        client.Retry.Delay = TimeSpan.FromMilliseconds(200);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        client.Retry.NetworkTimeout = storage.NetworkTimeout;
        // The SDK's request log (forwarded to ILogger by AddAzureClients) would write a line per call, its
        // URI naming the row (codes, phone hashes): the spans (OpenTelemetry) tell what a call did instead.
        client.Diagnostics.IsLoggingEnabled = false;
    }

    /// <summary>The user-assigned identity when its client id is set; else DefaultAzureCredential picks (unused with a connection string).</summary>
    internal static TokenCredential Credential(StorageOptions storage) =>
        string.IsNullOrWhiteSpace(storage.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(storage.ManagedIdentityClientId));

    private static StorageOptions Storage(IServiceProvider provider) => provider.GetRequiredService<IOptions<StorageOptions>>().Value;
}
