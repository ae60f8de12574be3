using FestivalReservations.DevHost;
using FestivalReservations.DevHost.Metadata;
using AzuriteFixture = FestivalReservations.Tests.Infrastructure.AzuriteFixture;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

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

        App = DevHostApp.Build(["--urls", "http://127.0.0.1:0"], configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["DevHost:MetadataPath"] = metadata,
            ["DevHost:FunctionKey"] = FunctionKey,
            ["DevHost:DisableTimers"] = "true",
            ["DevHost:DisableQueues"] = "true",
            ["TickSchedule"] = "0 0 3 * * *",
        }));
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
