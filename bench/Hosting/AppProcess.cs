using System.Diagnostics;
using System.Globalization;

namespace FestivalReservations.Bench.Hosting;

/// <summary>The functions app served by devhost as a separate process (`dotnet FestivalReservations.DevHost.dll`) on a free loopback port.</summary>
public sealed class AppProcess : IBenchApp
{
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private AppProcess(Process process, ProcessOutput output, Uri baseAddress, string functionKey)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        FunctionKey = functionKey;
    }

    public Uri BaseAddress { get; }

    public string FunctionKey { get; }

    public static AppLauncher Launcher(string devHostOutput) => async (settings, ct) => await StartAsync(devHostOutput, settings, ct);

    public static async Task<AppProcess> StartAsync(string devHostOutput, AppSettings settings, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(devHostOutput, "FestivalReservations.DevHost.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build devhost (dotnet build devhost -c Release).");
        }

        var url = $"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}";
        var psi = StartInfo(devHostOutput, url, settings.Values);
        var output = new ProcessOutput();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
        output.Attach(process);
        var app = new AppProcess(process, output, new Uri(url + "/"), settings.FunctionKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited ({process.ExitCode}) before it answered:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(app.BaseAddress, "api/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return app;
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

        await app.DisposeAsync();
        throw new InvalidOperationException($"The app did not answer /api/health within 60 s:\n{output}");
    }

    /// <summary>VmHWM of /proc/&lt;pid&gt;/status: the process's peak resident set.</summary>
    public double? PeakMemoryMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = double.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                    return Math.Round(kb / 1024, 1);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    public string Output => _output.ToString();

    public async ValueTask DisposeAsync()
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
        }

        _process.Dispose();
    }

    /// <summary>`dotnet FestivalReservations.DevHost.dll --urls {url}` in devhost's output folder, with the settings as environment variables.</summary>
    public static ProcessStartInfo StartInfo(string devHostOutput, string url, IReadOnlyDictionary<string, string> settings)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = devHostOutput,
        };
        psi.ArgumentList.Add(Path.Combine(devHostOutput, "FestivalReservations.DevHost.dll"));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(url);
        foreach (var (key, value) in settings)
        {
            psi.Environment[key] = value;
        }

        psi.Environment["ASPNETCORE_URLS"] = url;
        return psi;
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
