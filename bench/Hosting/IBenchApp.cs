using FestivalReservations.Testing;

namespace FestivalReservations.Bench.Hosting;

/// <summary>What a run needs to start the app under test: storage, commit mode, catalog, pinned clock, telemetry on or off, CPU priority (<see cref="Niceness"/>).</summary>
public sealed record BenchAppSettings(string ConnectionString, string CommitMode, string CatalogFile, DateTimeOffset Now, string FunctionKey, bool Telemetry = true, int Niceness = 0)
{
    /// <summary>The app's whole configuration (made once: it names the run's own sms queue).</summary>
    public AppSettings App { get; } = AppSettings.For(ConnectionString)
        .Set("Reservations:CommitMode", CommitMode)
        .Set("Festival:CatalogFile", CatalogFile)
        .Set("Festival:Now", Now.ToString("O"))
        .Set("DevHost:FunctionKey", FunctionKey)
        // The SMS records stay where the checks can count them (no sender drains the queue mid-run).
        .Set("DevHost:DisableQueues", "true")
        // One log line per reservation to a console would measure the console.
        .Set("Logging:LogLevel:Default", "Warning")
        // The bench's phone numbers repeat from run to run: a key of the run's own keeps their
        // phones' days (PhoneDays) apart from other runs' in a shared store; the run's instances share it.
        .Set("Privacy:PhoneHashKey", "bench-phone-hash-key-" + Guid.NewGuid().ToString("N"))
        // OpenTelemetry's own switch: no spans and no SDK metrics (what telemetry costs, run beside a run with it).
        .Set("OTEL_SDK_DISABLED", Telemetry ? null : "true");
}

/// <summary>A running app under test, reachable over HTTP.</summary>
public interface IBenchApp : IAsyncDisposable
{
    Uri BaseAddress { get; }

    string FunctionKey { get; }

    /// <summary>The app process's peak resident memory (MB), when it runs as its own process.</summary>
    double? PeakMemoryMb();

    /// <summary>The app's last output, when it runs as its own process.</summary>
    string? Output { get; }
}

/// <summary>Starts the app under test for one run.</summary>
public delegate Task<IBenchApp> AppLauncher(BenchAppSettings settings, CancellationToken cancellationToken);
