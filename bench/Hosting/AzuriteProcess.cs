using System.Diagnostics;
using System.Globalization;

namespace FestivalReservations.Bench.Hosting;

/// <summary>An Azurite of the bench's own, in memory, on free loopback ports (from the repository's node_modules).</summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _folder;

    private AzuriteProcess(Process process, string folder, int blob, int queue, int table)
    {
        _process = process;
        _folder = folder;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run npm ci in {repositoryRoot}.");
        }

        var (blob, queue, table) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var folder = Path.Combine(Path.GetTempPath(), "fr-bench-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var psi = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[]
        {
            script, "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
            "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", Text(blob),
            "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
            "--tableHost", "127.0.0.1", "--tablePort", Text(table),
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var output = new ProcessOutput();
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not on PATH: install Node.js 20 or later to run Azurite.", e);
        }

        output.Attach(process);
        var azurite = new AzuriteProcess(process, folder, blob, queue, table);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited ({process.ExitCode}):\n{output}");
            }

            try
            {
                using var _ = await http.GetAsync(new Uri($"http://127.0.0.1:{table}/devstoreaccount1/Tables"), cancellationToken);
                return azurite;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        await azurite.DisposeAsync();
        throw new InvalidOperationException($"Azurite did not answer within 30 s:\n{output}");
    }

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
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
