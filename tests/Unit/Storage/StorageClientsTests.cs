using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Unit.Storage;

/// <summary>The storage clients as AddAzureClients makes them: where they point, and the options every one of them gets.</summary>
public sealed class StorageClientsTests
{
    private const string Name = "Default";

    [Fact]
    public void AddStorageClients_ConnectionString_ClientsOnThatAccount()
    {
        using var services = Services(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        Assert.Equal("devstoreaccount1", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), services.GetRequiredService<QueueServiceClient>().Uri);
    }

    [Fact]
    public void AddStorageClients_ServiceUris_ClientsOnThem()
    {
        using var services = Services(new StorageOptions
        {
            TableServiceUri = new Uri("https://festival.table.core.windows.net/"),
            QueueServiceUri = new Uri("https://festival.queue.core.windows.net/"),
            ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("festival", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal(new Uri("https://festival.queue.core.windows.net/"), services.GetRequiredService<QueueServiceClient>().Uri);
    }

    [Fact]
    public void AddStorageClients_OneClientEach_TheOnesStorageTablesUses()
    {
        using var services = Services(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        var tables = services.GetRequiredService<StorageTables>();

        Assert.Same(services.GetRequiredService<TableServiceClient>(), tables.Service);
        Assert.Same(services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<TableServiceClient>());
        Assert.Same(services.GetRequiredService<QueueServiceClient>(), services.GetRequiredService<QueueServiceClient>());
    }

    [Fact]
    public void AddStorageClients_Options_RetriesAndTimeoutFromStorageOptionsOnTheSharedPool()
    {
        using var services = Services(new StorageOptions
        {
            ConnectionString = "UseDevelopmentStorage=true", MaxRetries = 5, NetworkTimeout = TimeSpan.FromSeconds(3),
        });

        ClientOptions[] options =
        [
            services.GetRequiredService<IOptionsMonitor<TableClientOptions>>().Get(Name),
            services.GetRequiredService<IOptionsMonitor<QueueClientOptions>>().Get(Name),
        ];

        Assert.All(options, o =>
        {
            Assert.Equal(RetryMode.Exponential, o.Retry.Mode);
            Assert.Equal(5, o.Retry.MaxRetries);
            Assert.Equal(TimeSpan.FromMilliseconds(200), o.Retry.Delay);
            Assert.Equal(TimeSpan.FromSeconds(2), o.Retry.MaxDelay);
            Assert.Equal(TimeSpan.FromSeconds(3), o.Retry.NetworkTimeout);
            Assert.Same(StorageClients.Transport, o.Transport);
            Assert.False(o.Diagnostics.IsLoggingEnabled);
        });
    }

    [Fact]
    public void AddStorageClients_Queues_Base64AsTheQueueTriggerExpects()
    {
        using var services = Services(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        Assert.Equal(QueueMessageEncoding.Base64, services.GetRequiredService<IOptionsMonitor<QueueClientOptions>>().Get(Name).MessageEncoding);
    }

    [Fact]
    public void AddStorageClients_SdkLogForwarding_WarningsAndErrorsOnly()
    {
        var lines = new LogLines();
        using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }))
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(lines))
            .AddStorageClients()
            .BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Azure.Core").LogInformation("Request GET /Sessions(PartitionKey='x')");
        loggers.CreateLogger("Azure.Identity").LogWarning("ManagedIdentityCredential unavailable");
        loggers.CreateLogger("FestivalReservations.Core.StartupInitializer").LogInformation("Serving");

        Assert.Equal(["Azure.Identity", "FestivalReservations.Core.StartupInitializer"], lines.Select(l => l.Category));
    }

    [Fact]
    public void Credential_ManagedIdentityClientIdSet_ThatUserAssignedIdentity()
    {
        var credential = StorageClients.Credential(new StorageOptions { ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001" });

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void Credential_NoClientId_DefaultAzureCredential()
    {
        Assert.IsType<DefaultAzureCredential>(StorageClients.Credential(new StorageOptions()));
    }

    private static ServiceProvider Services(StorageOptions options) =>
        new ServiceCollection().AddSingleton(Options.Create(options)).AddStorageClients().BuildServiceProvider();
}
