using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>
/// Runs one Azurite (blob, queue, table) from the repository's node_modules on three free
/// loopback ports, with its data in a fresh temporary folder. Shared by every test in the
/// "Azurite" collection. A missing node or Azurite makes the tests FAIL (never skip).
/// </summary>
/// <remarks>
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> restart Azurite on the same ports and
/// the same folder, so data written before a stop is there after the start.
/// <see cref="KillAsync"/> ends it abruptly instead (like a crash): Azurite's table store
/// saves to disk every 5 s, so writes of the last seconds may be lost, as in real life.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string NotInstalledMessage = "Azurite is not installed: run npm ci in the repository root";

    public const string AccountName = "devstoreaccount1";

    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(15);
    private const int MaxOutputChars = 64 * 1024;

    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private string? _nodePath;
    private string? _azuriteScript;
    private bool _disposed;

    /// <summary>The repository root (the folder holding FestivalReservations.sln).</summary>
    public string RepoRoot { get; private set; } = "";

    /// <summary>Azurite's workspace folder (deleted on dispose).</summary>
    public string DataFolder { get; private set; } = "";

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");
    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/{AccountName}");
    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    /// <summary>The development account with explicit endpoints for the chosen ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>True while the Azurite process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What Azurite printed so far (bounded to the last 64 KiB).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    public QueueServiceClient CreateQueueServiceClient() =>
        new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>A table name unique to the caller, so tests sharing this Azurite do not collide.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Guid.NewGuid().ToString("N")[..16];

    public async Task InitializeAsync()
    {
        RepoRoot = RepoPaths.FindRepoRoot();
        (_nodePath, _azuriteScript) = LocateAzurite(RepoRoot);
        DataFolder = Path.Combine(Path.GetTempPath(), "fr-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(DataFolder);

        // Free ports are found by binding port 0; another process may grab one before Azurite
        // does, so a failed first start is retried on fresh ports.
        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (BlobPort, QueuePort, TablePort) = (FreePort(), FreePort(), FreePort());
            if (BlobPort == QueuePort || QueuePort == TablePort || BlobPort == TablePort)
            {
                continue;
            }

            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException ex) when (Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                last = ex;
                await KillAsync();
            }
        }

        throw last ?? new InvalidOperationException("Could not find three distinct free ports for Azurite.");
    }

    /// <summary>Starts Azurite (again) on the same ports and data folder; waits until the table endpoint answers.</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync();
        try
        {
            if (IsRunning)
            {
                return;
            }

            if (_nodePath is null || _azuriteScript is null)
            {
                throw new InvalidOperationException("AzuriteFixture.InitializeAsync has not run.");
            }

            AppendOutput($"--- starting Azurite on blob {BlobPort}, queue {QueuePort}, table {TablePort}, data {DataFolder}");
            var psi = new ProcessStartInfo(_nodePath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = DataFolder,
            };
            foreach (var arg in new[]
            {
                _azuriteScript,
                "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry", "--silent",
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", DataFolder,
            })
            {
                psi.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
            process.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FileNotFoundException)
            {
                process.Dispose();
                throw new InvalidOperationException($"{NotInstalledMessage} (could not start '{_nodePath}': {ex.Message})", ex);
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            AppDomain.CurrentDomain.ProcessExit += KillOnHostExit;

            try
            {
                await WaitUntilTableAnswersAsync(process);
            }
            catch
            {
                KillQuietly(process);
                _process = null;
                AppDomain.CurrentDomain.ProcessExit -= KillOnHostExit;
                process.Dispose();
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops Azurite gracefully (SIGTERM, so it saves its data), killing it if it does not exit in time.</summary>
    public Task StopAsync() => StopCoreAsync(graceful: true);

    /// <summary>Kills Azurite at once, like a crash (unsaved table writes of the last seconds may be lost).</summary>
    public Task KillAsync() => StopCoreAsync(graceful: false);

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopCoreAsync(graceful: false);
        _disposed = true;
        _lifecycle.Dispose();
        try
        {
            if (DataFolder.Length > 0 && Directory.Exists(DataFolder))
            {
                Directory.Delete(DataFolder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task StopCoreAsync(bool graceful)
    {
        if (_disposed)
        {
            return;
        }

        await _lifecycle.WaitAsync();
        try
        {
            var process = _process;
            if (process is null)
            {
                return;
            }

            _process = null;
            AppDomain.CurrentDomain.ProcessExit -= KillOnHostExit;
            try
            {
                if (!process.HasExited)
                {
                    if (graceful && !OperatingSystem.IsWindows() && SendSigterm(process.Id))
                    {
                        using var cts = new CancellationTokenSource(GracefulStopTimeout);
                        try
                        {
                            await process.WaitForExitAsync(cts.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            AppendOutput("--- Azurite did not exit after SIGTERM; killing it");
                        }
                    }

                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    using var killWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await process.WaitForExitAsync(killWait.Token);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                AppendOutput("--- Azurite stopped");
                process.Dispose();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task WaitUntilTableAnswersAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri($"http://127.0.0.1:{TablePort}/{AccountName}/Tables");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                // Let the output readers drain before reporting.
                process.WaitForExit();
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it answered on port {TablePort}.\n" +
                    $"Azurite output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(probe);
                return; // Any HTTP status means the table service is up.
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException(
            $"Azurite did not answer on {probe} within {StartTimeout.TotalSeconds:0} s.\nAzurite output:\n{Output}");
    }

    private void KillOnHostExit(object? sender, EventArgs e)
    {
        if (_process is { } process)
        {
            KillQuietly(process);
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - MaxOutputChars);
            }
        }
    }

    private static (string Node, string Script) LocateAzurite(string repoRoot)
    {
        var script = Path.Combine(repoRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{NotInstalledMessage} ({script} is missing).");
        }

        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node")
            ?? throw new InvalidOperationException($"{NotInstalledMessage} (node is not on PATH; install Node.js 20 or later).");
        return (node, script);
    }

    private static string? FindOnPath(string file)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool SendSigterm(int pid) => NativeMethods.Kill(pid, NativeMethods.Sigterm) == 0;

    private static class NativeMethods
    {
        public const int Sigterm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int sig);
    }
}

/// <summary>All tests that talk to storage share one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
