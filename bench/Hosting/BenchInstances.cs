using System.Net.Http.Json;
using FestivalReservations.Bench.Load;
using FestivalReservations.Bench.Scenarios;

namespace FestivalReservations.Bench.Hosting;

/// <summary>
/// N copies of the app under test over one storage, as Azure runs N instances: the same settings
/// (storage connection string, sms queue, commit mode, catalog, clock) and a port each. Each has an
/// HttpClient with its share of the run's connections.
/// </summary>
public sealed class BenchInstances : IAsyncDisposable
{
    private readonly List<IBenchApp> _apps;

    private BenchInstances(List<IBenchApp> apps, int clients)
    {
        _apps = apps;
        Clients = [.. apps.Select(a => LoadRunner.CreateClient(a.BaseAddress, Math.Max(1, (clients + apps.Count - 1) / apps.Count)))];
    }

    public IReadOnlyList<IBenchApp> Apps => _apps;

    /// <summary>One client per instance, in instance order (what <see cref="LoadRunner.RunAsync"/> spreads clients over).</summary>
    public IReadOnlyList<HttpClient> Clients { get; }

    /// <summary>
    /// Starts <paramref name="count"/> instances: the first alone (it loads the catalog into the
    /// empty store), then the others together.
    /// </summary>
    public static async Task<BenchInstances> StartAsync(
        AppLauncher launcher, BenchAppSettings settings, int count, int clients, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var apps = new List<IBenchApp> { await launcher(settings, cancellationToken) };
        var others = Enumerable.Range(1, count - 1).Select(_ => launcher(settings, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(others);
        }
        catch
        {
            foreach (var app in apps.Concat(others.Where(o => o.IsCompletedSuccessfully).Select(o => o.Result)))
            {
                await app.DisposeAsync();
            }

            throw;
        }

        apps.AddRange(others.Select(o => o.Result));
        return new BenchInstances(apps, clients);
    }

    /// <summary>Every instance's counters, in instance order.</summary>
    public async Task<IReadOnlyList<AppMetrics>> MetricsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_apps.Select((app, i) => MetricsAsync(Clients[i], app.FunctionKey, cancellationToken)));

    public IReadOnlyList<double?> PeakMemoryMb() => [.. _apps.Select(a => a.PeakMemoryMb())];

    /// <summary>What each instance last printed (instances that run as processes), for answers outside the contract.</summary>
    public string Output() => string.Join("\n", _apps.Select((a, i) => a.Output is { } output ? $"-- instance {i + 1}:\n{output}" : null).OfType<string>());

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<AppMetrics> MetricsAsync(HttpClient http, string functionKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/metrics");
        request.Headers.Add("x-functions-key", functionKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<AppMetrics>(cancellationToken)
            ?? throw new InvalidOperationException("admin/metrics answered nothing.");
    }
}
