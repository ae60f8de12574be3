using FestivalReservations.Bench.Hosting;
using FestivalReservations.DevHost;
using Microsoft.AspNetCore.Builder;

namespace FestivalReservations.Tests.Bench;

/// <summary>The bench's app under test served by devhost inside the test process (the bench itself starts a separate process).</summary>
public sealed class InProcessBenchApp(WebApplication app, string functionKey) : IBenchApp
{
    public Uri BaseAddress { get; } = DevHostApp.BaseAddress(app);

    public string FunctionKey { get; } = functionKey;

    public string? Output => null;

    public static AppLauncher Launcher => async (settings, cancellationToken) =>
    {
        var app = DevHostApp.BuildFrom(settings.App.ToConfiguration());
        await app.StartAsync(cancellationToken);
        return new InProcessBenchApp(app, settings.FunctionKey);
    };

    public double? PeakMemoryMb() => null;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
