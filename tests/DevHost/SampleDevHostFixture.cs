using FestivalReservations.DevHost;
using FestivalReservations.DevHost.Metadata;
using FestivalReservations.Testing;
using Microsoft.AspNetCore.Builder;
using AzuriteFixture = FestivalReservations.Tests.Infrastructure.AzuriteFixture;

namespace FestivalReservations.Tests.DevHost;

/// <summary>
/// devhost started in-process on a free loopback port, serving the sample functions of the tests
/// (a functions.metadata written to a temp folder, DevHost:MetadataPath pointing at it).
/// </summary>
public sealed class SampleDevHostFixture : IAsyncLifetime
{
    public const string FunctionKey = "test-function-key";

    // The app's own registration runs too (it creates tables and loads the catalog at start), so
    // it needs storage: an Azurite of this fixture's own.
    private readonly AzuriteFixture _azurite = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "devhost-tests-" + Guid.NewGuid().ToString("N"));

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Directory.CreateDirectory(_folder);
        var metadata = Path.Combine(_folder, FunctionMetadataReader.FileName);
        await File.WriteAllTextAsync(metadata, SampleMetadata.All);
        await File.WriteAllTextAsync(Path.Combine(_folder, HostSettings.FileName), SampleMetadata.HostJson);

        App = DevHostApp.BuildFrom(AppSettings.For(_azurite.ConnectionString)
            .Set("Festival:CatalogFile", AppSettings.ShippedCatalog)
            .Set("DevHost:MetadataPath", metadata)
            .Set("DevHost:FunctionKey", FunctionKey)
            .Set("DevHost:DisableQueues", "true")
            .Set("TickSchedule", "0 0 3 * * *")
            .ToConfiguration());
        await App.StartAsync();
        Client = new HttpClient { BaseAddress = DevHostApp.BaseAddress(App) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        await _azurite.DisposeAsync();
    }
}
