using FestivalReservations.Testing;

namespace FestivalReservations.Bench.Hosting;

/// <summary>The app under test as a process of its own (devhost, started by the testing library).</summary>
public sealed class ChildBenchApp(DevHostProcess process, string functionKey) : IBenchApp
{
    public static AppLauncher Launcher => async (settings, cancellationToken) =>
        new ChildBenchApp(await DevHostProcess.StartAsync(settings.App, settings.Niceness, cancellationToken), settings.FunctionKey);

    public Uri BaseAddress => process.BaseAddress;

    public string FunctionKey { get; } = functionKey;

    public string? Output => process.Output.ToString();

    public double? PeakMemoryMb() => process.PeakMemoryMb();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
