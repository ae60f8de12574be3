using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace FestivalReservations.Testing;

/// <summary>
/// One Azurite (blob, queue, table) from the repository's node_modules on three free loopback
/// ports, with a workspace folder of its own, for tests and the bench. A missing node or Azurite
/// is an error, never a reason to skip.
/// </summary>
/// <remarks>
/// The first <see cref="StartAsync"/> picks the ports; <see cref="StopAsync"/> then
/// <see cref="StartAsync"/> restarts Azurite on the same ports and folder, so data written before a
/// stop is there after the start (unless <see cref="InMemory"/>). <see cref="KillAsync"/> ends it
/// abruptly instead, like a crash: Azurite's table store saves to disk every 5 s, so writes of the
/// last seconds may be lost, as in real life.
/// </remarks>
public sealed class AzuriteProcess(bool inMemory = false) : IAsyncDisposable
{
    public const string NotInstalledMessage = "Azurite is not installed: run npm ci in the repository root";

    public const string AccountName = "devstoreaccount1";

    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private (string Node, string Script)? _azurite;
    private bool _disposed;

    /// <summary>Starts a new Azurite and waits until it answers.</summary>
    public static async Task<AzuriteProcess> StartNewAsync(bool inMemory = false, CancellationToken cancellationToken = default)
    {
        var azurite = new AzuriteProcess(inMemory);
        try
        {
            await azurite.StartAsync(cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Data lives in memory only (the bench): a restart starts empty.</summary>
    public bool InMemory { get; } = inMemory;

    /// <summary>Azurite's workspace folder (deleted on dispose); empty before the first start.</summary>
    public string DataFolder { get; private set; } = "";

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public Uri BlobEndpoint => Endpoint(BlobPort);
    public Uri QueueEndpoint => Endpoint(QueuePort);
    public Uri TableEndpoint => Endpoint(TablePort);

    /// <summary>The development account with explicit endpoints for the chosen ports.</summary>
    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    /// <summary>The development account with explicit loopback endpoints on the ports given (e.g. a fault proxy's).</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={Endpoint(blobPort)};QueueEndpoint={Endpoint(queuePort)};TableEndpoint={Endpoint(tablePort)};";

    private static Uri Endpoint(int port) => new($"http://127.0.0.1:{port}/{AccountName}");

    /// <summary>True while the Azurite process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => _process?.Id;

    /// <summary>What Azurite printed, with a line of ours at each start and stop.</summary>
    public ProcessOutput Output { get; } = new();

    /// <summary>Starts Azurite (again, on the same ports and folder); waits until the table endpoint answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_azurite is null)
        {
            await StartFirstAsync(cancellationToken);
            return;
        }

        await StartOnTheChosenPortsAsync(cancellationToken);
    }

    /// <summary>Stops Azurite gracefully (SIGTERM, so it saves its data), killing it if it does not exit in time.</summary>
    public Task StopAsync() => StopCoreAsync(graceful: true);

    /// <summary>Kills Azurite at once, like a crash (unsaved table writes of the last seconds may be lost).</summary>
    public Task KillAsync() => StopCoreAsync(graceful: false);

    public async ValueTask DisposeAsync()
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task StartFirstAsync(CancellationToken cancellationToken)
    {
        _azurite = Locate(RepositoryPaths.Root);
        DataFolder = Path.Combine(Path.GetTempPath(), "fr-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(DataFolder);

        // A port found free may be taken by another process before Azurite binds it: a first start
        // that fails that way is retried on fresh ports.
        InvalidOperationException? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (BlobPort, QueuePort, TablePort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
            if (BlobPort == QueuePort || QueuePort == TablePort || BlobPort == TablePort)
            {
                continue;
            }

            try
            {
                await StartOnTheChosenPortsAsync(cancellationToken);
                return;
            }
            catch (InvalidOperationException e) when (Output.Lines.Any(l => l.Contains("EADDRINUSE", StringComparison.Ordinal)))
            {
                last = e;
                await KillAsync();
            }
        }

        throw last ?? new InvalidOperationException("Could not find three distinct free ports for Azurite.");
    }

    private async Task StartOnTheChosenPortsAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning)
            {
                return;
            }

            var (node, script) = _azurite!.Value;
            Output.Add($"--- starting Azurite on blob {BlobPort}, queue {QueuePort}, table {TablePort}, {(InMemory ? "in memory" : "data " + DataFolder)}");
            var psi = new ProcessStartInfo(node)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = DataFolder,
            };
            foreach (var arg in Arguments(script))
            {
                psi.ArgumentList.Add(arg);
            }

            ChildEnvironment.Apply(psi, new Dictionary<string, string>());
            var process = new Process { StartInfo = psi };
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
            {
                process.Dispose();
                throw new InvalidOperationException($"{NotInstalledMessage} (could not start '{node}': {e.Message})", e);
            }

            Output.Attach(process);
            _process = process;
            AppDomain.CurrentDomain.ProcessExit += KillOnHostExit;
            try
            {
                await WaitUntilTableAnswersAsync(process, cancellationToken);
            }
            catch
            {
                Kill(process);
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

    /// <summary>
    /// How long Azurite keeps an idle connection open (its own default is 5 s): longer than .NET's
    /// pools keep one (1 min), so the client always closes first. With 5 s, a pool reusing a
    /// connection Azurite is closing at that moment got an IOException (and the SDK's retry), and a
    /// pause of a few seconds in a test or bench run cost every instance its warm connections:
    /// new connections to a busy Azurite take seconds to be served.
    /// </summary>
    public const int KeepAliveSeconds = 120;

    private IEnumerable<string> Arguments(string script)
    {
        yield return script;
        foreach (var flag in new[] { "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry", "--silent" })
        {
            yield return flag;
        }

        foreach (var (service, port) in new[] { ("blob", BlobPort), ("queue", QueuePort), ("table", TablePort) })
        {
            yield return $"--{service}Host";
            yield return "127.0.0.1";
            yield return $"--{service}Port";
            yield return port.ToString(CultureInfo.InvariantCulture);
            yield return $"--{service}KeepAliveTimeout";
            yield return KeepAliveSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (InMemory)
        {
            yield return "--inMemoryPersistence";
        }
        else
        {
            yield return "--location";
            yield return DataFolder;
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
                    if (graceful && !OperatingSystem.IsWindows() && NativeMethods.Kill(process.Id, NativeMethods.Sigterm) == 0)
                    {
                        using var patience = new CancellationTokenSource(GracefulStopTimeout);
                        try
                        {
                            await process.WaitForExitAsync(patience.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            Output.Add("--- Azurite did not exit after SIGTERM; killing it");
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
                Output.Add("--- Azurite stopped");
                process.Dispose();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task WaitUntilTableAnswersAsync(Process process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri($"http://127.0.0.1:{TablePort}/{AccountName}/Tables");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken); // lets the output readers drain
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it answered on port {TablePort}.\nAzurite output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(probe, cancellationToken);
                return; // Any HTTP status means the table service is up.
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InvalidOperationException(
            $"Azurite did not answer on {probe} within {StartTimeout.TotalSeconds:0} s.\nAzurite output:\n{Output}");
    }

    private void KillOnHostExit(object? sender, EventArgs e)
    {
        if (_process is { } process)
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static (string Node, string Script) Locate(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{NotInstalledMessage} ({script} is missing).");
        }

        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node")
            ?? throw new InvalidOperationException($"{NotInstalledMessage} (node is not on PATH; install Node.js 20 or later).");
        return (node, script);
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, file))
            .FirstOrDefault(File.Exists);

    private static class NativeMethods
    {
        public const int Sigterm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int sig);
    }
}
