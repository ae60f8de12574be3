using Azure.Core;
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
        var clientOptions = new TableClientOptions();
        Configure(clientOptions.Retry);
        return options.UsesConnectionString
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : new TableServiceClient(options.TableServiceUri, Credential(options), clientOptions);
    }

    public static QueueServiceClient CreateQueues(StorageOptions options)
    {
        // Base64, as the Functions host's queue trigger expects.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Configure(clientOptions.Retry);
        return options.UsesConnectionString
            ? new QueueServiceClient(options.ConnectionString, clientOptions)
            : new QueueServiceClient(options.QueueServiceUri, Credential(options), clientOptions);
    }

    private static void Configure(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 3;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
}
