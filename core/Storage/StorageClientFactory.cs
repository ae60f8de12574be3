using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The one place that chooses how to reach storage: a connection string locally (Azurite), or the
/// service URIs with a managed identity in Azure. Retries and timeouts are set here for every call.
/// </summary>
public static class StorageClientFactory
{
    public static TableServiceClient CreateTables(StorageOptions options)
    {
        var clientOptions = new TableClientOptions { Transport = Transport };
        Configure(clientOptions.Retry, options);
        return options.UsesConnectionString
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : new TableServiceClient(options.TableServiceUri, Credential(options), clientOptions);
    }

    public static QueueServiceClient CreateQueues(StorageOptions options)
    {
        // Base64, as the Functions host's queue trigger expects.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64, Transport = Transport };
        Configure(clientOptions.Retry, options);
        return options.UsesConnectionString
            ? new QueueServiceClient(options.ConnectionString, clientOptions)
            : new QueueServiceClient(options.QueueServiceUri, Credential(options), clientOptions);
    }

    /// <summary>
    /// One connection pool for every storage call, at most <see cref="MaxConnections"/> connections
    /// to an endpoint: in a rush hundreds of concurrent calls would otherwise each open a socket,
    /// overflow the server's accept queue and wait out TCP's SYN retries (1, 3, 7 s).
    /// </summary>
    private static readonly HttpClientTransport Transport = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = MaxConnections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });

    public const int MaxConnections = 64;

    private static void Configure(RetryOptions retry, StorageOptions options)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = options.MaxRetries;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = options.NetworkTimeout;
    }

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
}
