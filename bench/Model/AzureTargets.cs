namespace FestivalReservations.Bench.Model;

/// <summary>
/// Azure's published scalability targets the model runs on (Table Storage, Functions Flex
/// Consumption), and the few figures that are assumptions, not published: one storage round trip
/// from an instance, and how visitors come back after a 503.
/// </summary>
public sealed record AzureTargets
{
    /// <summary>Table Storage: up to 2,000 entities (1 KiB) per second in one partition.</summary>
    public double PartitionEntitiesPerSecond { get; init; } = 2_000;

    /// <summary>Table Storage: up to 20,000 entities per second in one storage account.</summary>
    public double AccountEntitiesPerSecond { get; init; } = 20_000;

    /// <summary>An entity group transaction holds at most 100 operations.</summary>
    public int OperationsPerTransaction { get; init; } = 100;

    /// <summary>Flex Consumption: 16 concurrent HTTP requests per instance by default.</summary>
    public int ConcurrentRequestsPerInstance { get; init; } = 16;

    /// <summary>The app's <c>maximumInstanceCount</c> (infra/main.bicep).</summary>
    public int MaxInstances { get; init; } = 40;

    /// <summary>Assumed: one round trip from an instance to storage in the same region (a read, or a transaction).</summary>
    public double RoundTripSeconds { get; init; } = 0.05;

    /// <summary>The app's storage clients: 3 retries, exponential from 200 ms, at most 2 s (core/Storage/StorageClients).</summary>
    public int SdkRetries { get; init; } = 3;

    public double SdkFirstDelaySeconds { get; init; } = 0.2;

    public double SdkMaxDelaySeconds { get; init; } = 2;

    /// <summary>The app's 503 carries Retry-After: 2; the model's visitor tries again after it.</summary>
    public double RetryAfterSeconds { get; init; } = 2;

    /// <summary>The SDK's exponential back-off before retry <paramref name="retry"/> (1-based), without its jitter.</summary>
    public double SdkDelaySeconds(int retry) => Math.Min(SdkMaxDelaySeconds, SdkFirstDelaySeconds * Math.Pow(2, retry - 1));
}
