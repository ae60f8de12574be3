using System.Globalization;

namespace FestivalReservations.Testing;

/// <summary>
/// The whole configuration of one app under test, and the only one it gets: an in-process app
/// is built from it alone (DevHostApp.BuildFrom), a process gets it as its environment (see
/// <see cref="ChildEnvironment"/>), and neither reads local.settings.json. Keys are written
/// Section:Key; <see cref="ToEnvironment"/> spells them Section__Key.
/// </summary>
public sealed class AppSettings
{
    public const string SmsQueueNameKey = "Storage:SmsQueueName";
    public const string QueueVisibilityTimeoutKey = "DevHost:QueueVisibilityTimeout";
    public const string QueuePollIntervalKey = "DevHost:QueuePollInterval";

    /// <summary>The catalog the app ships with, relative to the app's output folder (as in Azure).</summary>
    public const string ShippedCatalog = "catalog/2024-autumn.json";

    /// <summary>Not a secret: the HMAC key of phone markers in apps under test.</summary>
    public const string PhoneHashKey = "app-under-test-phone-hash-key-not-a-secret-0123";

    /// <summary>Not secrets: the ticket signing key of apps under test (id 1), and their public address in ticket links.</summary>
    public const string TicketSigningKeys = "1:app-under-test-ticket-signing-key-not-a-secret";

    public const string PublicBaseUrl = "https://festa.example.kr";

    /// <summary>
    /// How long a message being sent stays invisible. Short, so that a message the app failed to
    /// delete comes back within seconds (devhost keeps a running one invisible however long it runs).
    /// </summary>
    public static readonly TimeSpan QueueVisibilityTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, string?> _values;

    private AppSettings(Dictionary<string, string?> values) => _values = values;

    /// <summary>
    /// What every app under test has: a free loopback port (a process is given its port on the
    /// command line), the given storage, an sms queue of its own, quick queue
    /// polling and retries, a short visibility timeout, no timers firing on their own, the
    /// per-client limits out of the way (every client of a test is 127.0.0.1; the limits are
    /// tested on their own) and no local.settings file. Twilio is not configured: SMS are logged.
    /// </summary>
    public static AppSettings For(string storageConnectionString) => new(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["urls"] = "http://127.0.0.1:0",
        ["AzureWebJobsStorage"] = storageConnectionString,
        ["Storage:ConnectionString"] = storageConnectionString,
        [SmsQueueNameKey] = NewSmsQueueName(),
        ["Privacy:PhoneHashKey"] = PhoneHashKey,
        ["Tickets:SigningKeys"] = TicketSigningKeys,
        ["Tickets:CurrentKeyId"] = "1",
        ["Festival:PublicBaseUrl"] = PublicBaseUrl,
        ["DevHost:DisableLocalSettings"] = "true",
        ["DevHost:DisableTimers"] = "true",
        ["DevHost:QueueRetryDelay"] = "00:00:00.200",
        [QueuePollIntervalKey] = "00:00:00.200",
        [QueueVisibilityTimeoutKey] = QueueVisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["RateLimits:ReservationsPerMinute"] = "10000000",
        ["RateLimits:LookupsPerMinute"] = "10000000",
        ["RateLimits:FailedLookupsPerHour"] = "10000000",
    });

    /// <summary>A queue name no other app uses ("sms-" and 12 hex digits).</summary>
    public static string NewSmsQueueName() => "sms-" + Guid.NewGuid().ToString("N")[..12];

    public string? this[string key] => _values.GetValueOrDefault(Normalize(key));

    public string SmsQueueName => this[SmsQueueNameKey]!;

    /// <summary>
    /// How long after a message was settled a redelivery of it would have been handled: the
    /// visibility timeout, a poll and a second to handle it. An "exactly once" check waits this long.
    /// </summary>
    public TimeSpan RedeliveryWindow => Duration(QueueVisibilityTimeoutKey) + Duration(QueuePollIntervalKey) + TimeSpan.FromSeconds(1);

    /// <summary>Sets (or, with null, clears) one setting; A__B keys are read as A:B.</summary>
    public AppSettings Set(string key, string? value)
    {
        _values[Normalize(key)] = value;
        return this;
    }

    public AppSettings Set(IEnumerable<KeyValuePair<string, string?>>? values)
    {
        foreach (var (key, value) in values ?? [])
        {
            Set(key, value);
        }

        return this;
    }

    /// <summary>Another app on the same storage and sms queue (e.g. the app restarted after a crash).</summary>
    public AppSettings Copy() => new(new Dictionary<string, string?>(_values, StringComparer.OrdinalIgnoreCase));

    /// <summary>As configuration keys (A:B), for DevHostApp.BuildFrom; cleared settings are left out.</summary>
    public IReadOnlyDictionary<string, string?> ToConfiguration() =>
        _values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>As environment variables (A__B), for a process.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment() =>
        _values.Where(v => v.Value is not null).ToDictionary(v => v.Key.Replace(":", "__", StringComparison.Ordinal), v => v.Value!, StringComparer.Ordinal);

    private TimeSpan Duration(string key) => TimeSpan.Parse(this[key] ?? "00:00:00", CultureInfo.InvariantCulture);

    private static string Normalize(string key) => key.Replace("__", ":", StringComparison.Ordinal);
}
