using System.Globalization;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost;

/// <summary>devhost's own settings, from the "DevHost" configuration section.</summary>
public sealed record DevHostOptions
{
    public const string Section = "DevHost";

    /// <summary>DevHost:FunctionKey — the one key for Function- and Admin-level routes; none means they answer 401.</summary>
    public string? FunctionKey { get; init; }

    /// <summary>
    /// DevHost:QueueRetryDelay (hh:mm:ss) — how long a failed message stays invisible before its next
    /// try; when not set, host.json's extensions.queues.visibilityTimeout, as the Functions host does.
    /// </summary>
    public TimeSpan QueueRetryDelay { get; init; }

    /// <summary>DevHost:QueuePollInterval (hh:mm:ss) — the longest wait between polls of an empty queue.</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>DevHost:QueueVisibilityTimeout (hh:mm:ss) — how long a message being processed stays invisible.</summary>
    public TimeSpan QueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>DevHost:DisableTimers — do not fire timer triggers on their schedule (they can still be invoked).</summary>
    public bool DisableTimers { get; init; }

    /// <summary>DevHost:DisableQueues — do not poll the queues of queue triggers.</summary>
    public bool DisableQueues { get; init; }

    /// <summary>DevHost:DisableLocalSettings — do not read local.settings(.sample).json; only the environment or the command line can set it.</summary>
    public bool DisableLocalSettings { get; init; }

    /// <summary>DevHost:MetadataPath — another functions.metadata than the one next to devhost's assembly.</summary>
    public string? MetadataPath { get; init; }

    /// <summary>The options, failed messages retried after host.json's visibilityTimeout unless DevHost:QueueRetryDelay says otherwise.</summary>
    public static DevHostOptions From(IConfiguration configuration, HostSettings? host = null)
    {
        var section = configuration.GetSection(Section);
        var defaults = new DevHostOptions { QueueRetryDelay = (host ?? new HostSettings()).VisibilityTimeout };
        return new DevHostOptions
        {
            FunctionKey = string.IsNullOrEmpty(section["FunctionKey"]) ? null : section["FunctionKey"],
            QueueRetryDelay = Duration(section, "QueueRetryDelay", defaults.QueueRetryDelay),
            QueuePollInterval = Duration(section, "QueuePollInterval", defaults.QueuePollInterval),
            QueueVisibilityTimeout = Duration(section, "QueueVisibilityTimeout", defaults.QueueVisibilityTimeout),
            DisableTimers = Flag(section, "DisableTimers"),
            DisableQueues = Flag(section, "DisableQueues"),
            DisableLocalSettings = Flag(section, "DisableLocalSettings"),
            MetadataPath = string.IsNullOrEmpty(section["MetadataPath"]) ? null : section["MetadataPath"],
        };
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        // A bare number would parse as days ("2" = 2 days): insist on hh:mm:ss.
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"{Section}:{key} = '{text}' is not a duration; write hh:mm:ss[.fff], e.g. 00:00:02.");
    }

    private static bool Flag(IConfigurationSection section, string key)
    {
        var text = section[key];
        return !string.IsNullOrWhiteSpace(text) && (bool.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"{Section}:{key} = '{text}' is not true or false."));
    }
}
