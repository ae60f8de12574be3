namespace FestivalReservations.DevHost.Metadata;

/// <summary>One binding of a function as written in functions.metadata (trigger, return value or other).</summary>
public sealed record BindingDefinition
{
    public required string Name { get; init; }

    /// <summary>httpTrigger, queueTrigger, timerTrigger, http, ...</summary>
    public required string Type { get; init; }

    /// <summary>In or Out (as the Worker SDK writes it).</summary>
    public string Direction { get; init; } = "In";

    /// <summary>HTTP: Anonymous, Function or Admin.</summary>
    public string? AuthLevel { get; init; }

    /// <summary>HTTP: lower-case verbs; empty means every method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>HTTP: the route template without the host's route prefix.</summary>
    public string? Route { get; init; }

    /// <summary>Queue: the queue name (may be a %Setting%).</summary>
    public string? QueueName { get; init; }

    /// <summary>Queue: the name of the setting holding the connection; null means AzureWebJobsStorage.</summary>
    public string? Connection { get; init; }

    /// <summary>Timer: NCRONTAB expression (6 fields) or a %Setting%.</summary>
    public string? Schedule { get; init; }

    /// <summary>Timer: fire once when the host starts.</summary>
    public bool RunOnStartup { get; init; }

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public TriggerKind TriggerKind => Type.ToLowerInvariant() switch
    {
        "httptrigger" => TriggerKind.Http,
        "queuetrigger" => TriggerKind.Queue,
        "timertrigger" => TriggerKind.Timer,
        _ => TriggerKind.Unsupported,
    };

    /// <summary>The HTTP return binding ($return, type http): the function's result is the response.</summary>
    public bool IsHttpReturn => Name == "$return" && string.Equals(Type, "http", StringComparison.OrdinalIgnoreCase);
}
