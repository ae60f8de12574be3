using System.Diagnostics;
using System.Globalization;

namespace FestivalReservations.Testing;

/// <summary>
/// The functions app served by devhost as a process of its own (`dotnet FestivalReservations.DevHost.dll`)
/// on a free loopback port, configured by its <see cref="AppSettings"/> alone: its environment is
/// built from scratch (<see cref="ChildEnvironment"/>) and it reads no local.settings file. It can
/// be killed the way a crash or an OOM kill would: no shutdown, no finally blocks.
/// </summary>
public sealed class DevHostProcess : IAsyncDisposable
{
    public const string DllName = "FestivalReservations.DevHost.dll";

    /// <summary>The lowest priority <c>nice</c> gives.</summary>
    public const int MaxNiceness = 19;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;

    private DevHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the app printed.</summary>
    public ProcessOutput Output { get; } = new();

    public int ProcessId => _process.Id;

    /// <summary>Starts the app and waits until /api/health answers 200.</summary>
    public static Task<DevHostProcess> StartAsync(AppSettings settings, CancellationToken cancellationToken = default) =>
        StartAsync(settings, niceness: 0, cancellationToken);

    /// <summary>
    /// Starts the app at <paramref name="niceness"/> (0: normal CPU priority; 1-19: below it, Unix
    /// <c>nice</c>, or BelowNormal on Windows) and waits until /api/health answers 200.
    /// </summary>
    public static async Task<DevHostProcess> StartAsync(AppSettings settings, int niceness, CancellationToken cancellationToken = default)
    {
        var output = RepositoryPaths.DevHostOutput;
        if (!File.Exists(Path.Combine(output, DllName)))
        {
            throw new InvalidOperationException($"{Path.Combine(output, DllName)} is missing: build devhost (dotnet build devhost -c Release).");
        }

        var url = $"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}";
        var process = new Process { StartInfo = StartInfo(output, url, settings, niceness) };
        process.Start();
        if (niceness > 0 && OperatingSystem.IsWindows())
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }

        var app = new DevHostProcess(process, new Uri(url + "/"));
        app.Output.Attach(process);
        try
        {
            await app.WaitUntilHealthyAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// `dotnet FestivalReservations.DevHost.dll --urls {url}` in devhost's output folder, its
    /// environment the settings and <see cref="ChildEnvironment.Inherited"/>; with a
    /// <paramref name="niceness"/> of 1-19, outside Windows, run by `nice -n {niceness}`, so that every
    /// thread of the app starts below normal priority.
    /// </summary>
    public static ProcessStartInfo StartInfo(string devHostOutput, string url, AppSettings settings, int niceness = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(niceness);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness, MaxNiceness);
        var nice = niceness > 0 && !OperatingSystem.IsWindows();
        var psi = new ProcessStartInfo(nice ? "nice" : DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = devHostOutput,
        };
        if (nice)
        {
            psi.ArgumentList.Add("-n");
            psi.ArgumentList.Add(niceness.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(DotnetHost());
        }

        psi.ArgumentList.Add(Path.Combine(devHostOutput, DllName));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(url);
        ChildEnvironment.Apply(psi, settings.ToEnvironment());
        return psi;
    }

    /// <summary>VmHWM of /proc/&lt;pid&gt;/status: the process's peak resident set (MB); null where there is no /proc.</summary>
    public double? PeakMemoryMb()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null
                ? null
                : Math.Round(double.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL, at once: whatever the app was doing stops mid-way.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken); // lets the output readers drain
                throw new InvalidOperationException($"The app exited ({_process.ExitCode}) before it answered:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "api/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"The app did not answer /api/health within {StartTimeout.TotalSeconds:0} s:\n{Output}");
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
