namespace FestivalReservations.Bench.Hosting;

/// <summary>What a run needs to start the app under test: storage, commit mode, catalog, pinned clock.</summary>
public sealed record AppSettings(string ConnectionString, string CommitMode, string CatalogFile, DateTimeOffset Now, string FunctionKey)
{
    public const string PhoneHashKey = "benchmark-phone-hash-key-not-a-secret-0123456789";

    /// <summary>The app's configuration, as environment-style keys (A__B).</summary>
    public IReadOnlyDictionary<string, string> Values => new Dictionary<string, string>
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Storage__ConnectionString"] = ConnectionString,
        ["Reservations__CommitMode"] = CommitMode,
        ["Festival__CatalogFile"] = CatalogFile,
        ["Festival__Now"] = Now.ToString("O"),
        ["Privacy__PhoneHashKey"] = PhoneHashKey,
        ["DevHost__FunctionKey"] = FunctionKey,
        ["DevHost__DisableTimers"] = "true",
        // The SMS records stay where the checks can count them (no sender drains the queue mid-run).
        ["DevHost__DisableQueues"] = "true",
        // Every benchmark client is 127.0.0.1: the per-IP limits would measure themselves, not the commit path.
        ["RateLimits__ReservationsPerMinute"] = "10000000",
        ["RateLimits__LookupsPerMinute"] = "10000000",
        ["RateLimits__FailedLookupsPerHour"] = "10000000",
        // One log line per reservation to a console would measure the console.
        ["Logging__LogLevel__Default"] = "Warning",
    };
}

/// <summary>A running app under test, reachable over HTTP.</summary>
public interface IBenchApp : IAsyncDisposable
{
    Uri BaseAddress { get; }

    string FunctionKey { get; }

    /// <summary>The app process's peak resident memory (MB), when it runs as its own process.</summary>
    double? PeakMemoryMb();
}

/// <summary>Starts the app under test for one run.</summary>
public delegate Task<IBenchApp> AppLauncher(AppSettings settings, CancellationToken cancellationToken);
