namespace FestivalReservations.Tests.Infrastructure;

[Flags]
internal enum Place
{
    None = 0,
    Local = 1,
    Azure = 2,
}

/// <summary>A setting read by the Functions host or a tool rather than by an options class.</summary>
/// <param name="Name">Exact name, or a prefix ending in '*'.</param>
/// <param name="AllowedIn">Where it may appear.</param>
/// <param name="RequiredIn">Where it must appear (exact names only).</param>
/// <param name="Reason">Why it is there: the allow-list stays small only if each entry is argued.</param>
internal sealed record HostSetting(string Name, Place AllowedIn, Place RequiredIn, string Reason)
{
    public bool Matches(string setting) => Name.EndsWith('*')
        ? setting.StartsWith(Name[..^1], StringComparison.Ordinal)
        : string.Equals(setting, Name, StringComparison.Ordinal);
}

internal static class HostSettings
{
    public static readonly IReadOnlyList<HostSetting> AllowList =
    [
        new("AzureWebJobsStorage", Place.Local, Place.Local,
            "the Functions host's storage (keys, timers, queue triggers); Azurite locally"),
        new("AzureWebJobsStorage__accountName", Place.Azure, Place.Azure,
            "host storage by managed identity: no connection string exists in Azure"),
        new("AzureWebJobsStorage__credential", Place.Azure, Place.Azure,
            "tells the host to sign in to storage with a managed identity"),
        new("AzureWebJobsStorage__clientId", Place.Azure, Place.Azure,
            "which user-assigned identity the host signs in with"),
        new("FUNCTIONS_WORKER_RUNTIME", Place.Local, Place.Local,
            "Core Tools needs it; Flex Consumption takes the runtime from functionAppConfig and rejects the setting"),
        new("APPLICATIONINSIGHTS_CONNECTION_STRING", Place.Local | Place.Azure, Place.Local | Place.Azure,
            "where the host and worker send telemetry (TelemetryOptions, under the host's own name; empty locally: nothing exported)"),
        new("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", Place.Azure, Place.Azure,
            "the host's and the worker's exporter sign in with the identity because Application Insights has local auth off (TelemetryOptions)"),
        new("DevHost__*", Place.Local, Place.None,
            "read by devhost only (e.g. DevHost__FunctionKey, the local staff key); never deployed"),
    ];
}
