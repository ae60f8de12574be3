using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FestivalReservations.Bench.Hosting;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>
/// The functions app served by devhost as a process of its own (`dotnet FestivalReservations.DevHost.dll`),
/// so a test can kill it the way a crash or an OOM kill would: no shutdown, no finally blocks.
/// Every line it prints is kept.
/// </summary>
public sealed class AppChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppChildProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<string> Lines { get; } = new();

    public string Output => string.Join('\n', Lines);

    public static async Task<AppChildProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var output = BenchPaths.DevHostOutput;
        var dll = Path.Combine(output, "FestivalReservations.DevHost.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test build builds devhost.");
        var url = $"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}";
        var psi = AppProcess.StartInfo(output, url, settings);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppChildProcess(process, new Uri(url + "/"));
        process.OutputDataReceived += (_, e) => app.Add(e.Data);
        process.ErrorDataReceived += (_, e) => app.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(process.HasExited, $"The app exited ({(process.HasExited ? process.ExitCode : 0)}) before it answered:\n{app.Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(app.BaseAddress, "api/health"));
                if (response.IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await app.DisposeAsync();
        throw new InvalidOperationException($"The app did not answer /api/health within 90 s:\n{app.Output}");
    }

    /// <summary>SIGKILL, at once: whatever the app was doing stops mid-way.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            Lines.Enqueue(line);
        }
    }
}
