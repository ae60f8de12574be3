using Azure.Core;
using Azure.Storage.Queues;

namespace FestivalReservations.DevHost.Queues;

/// <summary>Queue clients for a trigger, configured like the Functions host's: Base64 messages, a connection setting.</summary>
public static class QueueClients
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>The connection string named by the binding's connection (or AzureWebJobsStorage); "Foo" also finds "AzureWebJobsFoo".</summary>
    public static string? ConnectionString(IConfiguration configuration, string? connection)
    {
        var name = string.IsNullOrEmpty(connection) ? DefaultConnection : connection;
        return new[] { name, "AzureWebJobs" + name, ConfigurationPath.Combine("ConnectionStrings", name) }
            .Select(key => configuration[key])
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
    }

    public static QueueClient Create(string connectionString, string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return new QueueClient(connectionString, queueName, options);
    }

    public static string PoisonQueueName(string queueName) => queueName + "-poison";
}
