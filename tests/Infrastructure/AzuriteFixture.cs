using Azure.Data.Tables;
using Azure.Storage.Queues;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>
/// The xunit face of the testing library's <see cref="AzuriteProcess"/>: one Azurite on free
/// loopback ports with its data in a fresh folder, shared by every test in the "Azurite"
/// collection. A missing node or Azurite makes the tests FAIL (never skip).
/// <see cref="StopAsync"/> then <see cref="StartAsync"/> restarts it with its data;
/// <see cref="KillAsync"/> ends it like a crash.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountName = AzuriteProcess.AccountName;
    public const string AccountKey = AzuriteProcess.AccountKey;

    private readonly AzuriteProcess _azurite = new();

    public int BlobPort => _azurite.BlobPort;
    public int QueuePort => _azurite.QueuePort;
    public int TablePort => _azurite.TablePort;
    public Uri TableEndpoint => _azurite.TableEndpoint;
    public string ConnectionString => _azurite.ConnectionString;
    public bool IsRunning => _azurite.IsRunning;

    public TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    public QueueServiceClient CreateQueueServiceClient() =>
        new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>A table name unique to the caller, so tests sharing this Azurite do not collide.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Guid.NewGuid().ToString("N")[..16];

    public Task InitializeAsync() => _azurite.StartAsync();

    public Task StartAsync() => _azurite.StartAsync();

    public Task StopAsync() => _azurite.StopAsync();

    public Task KillAsync() => _azurite.KillAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();
}

/// <summary>All tests that talk to storage share one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
