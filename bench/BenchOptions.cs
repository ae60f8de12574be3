using System.Globalization;

namespace FestivalReservations.Bench;

/// <summary>
/// The command line: [rush|spread|ceiling|all|model|season|lottery] [--attempts N] [--clients N] [--capacity N]
/// [--modes Batched,Single] [--instances N[,M...]] [--telemetry on,off] [--app-nice 0-19] [--out path]. Each scenario runs once per mode
/// and per instance count; model, season and lottery run only when named (lottery: --attempts is its entries, --capacity its seats).
/// </summary>
public sealed record BenchOptions
{
    public string Scenario { get; init; } = "all";
    public int? Attempts { get; init; }
    public int? Clients { get; init; }
    public int? Capacity { get; init; }
    public IReadOnlyList<string> Modes { get; init; } = ["Batched", "Single"];

    /// <summary>How many app instances (devhost processes over the one Azurite) each run has, one run per count.</summary>
    public IReadOnlyList<int> Instances { get; init; } = [1];

    /// <summary>OpenTelemetry in the instances: on, off, or both ("on,off": each run twice, to see what it costs in one run).</summary>
    public IReadOnlyList<bool> Telemetry { get; init; } = [true];
    public string? Out { get; init; }

    /// <summary>
    /// The app instances' CPU priority (Unix nice, 0-19; default <see cref="DefaultAppNiceness"/>):
    /// on Azure neither storage nor the visitors' phones share the app's cores, here Azurite's one
    /// thread and the load generator do, and the scheduler shares a core per thread, so four app
    /// processes' thread pools would take Azurite's share. 0 runs them like everything else.
    /// </summary>
    public int AppNiceness { get; init; } = DefaultAppNiceness;

    public const int DefaultAppNiceness = 10;

    public const string Usage =
        "usage: dotnet run -c Release --project bench -- [rush|spread|ceiling|all|model|season|lottery] [--attempts N] [--clients N] [--capacity N] [--modes Batched,Single] [--instances N[,M...]] [--telemetry on|off|on,off] [--app-nice 0-19] [--out path]";

    public bool Runs(string scenario) => Scenario == "all" || Scenario == scenario;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value.\n{Usage}");
            int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{arg} needs a positive number.\n{Usage}");
            options = arg switch
            {
                "rush" or "spread" or "ceiling" or "all" or "model" or "season" or "lottery" => options with { Scenario = arg },
                "--attempts" => options with { Attempts = Number() },
                "--clients" => options with { Clients = Number() },
                "--capacity" => options with { Capacity = Number() },
                "--modes" => options with { Modes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--instances" => options with { Instances = Counts(arg, Value()) },
                "--telemetry" => options with { Telemetry = Switches(arg, Value()) },
                "--app-nice" => options with { AppNiceness = Niceness(arg, Value()) },
                "--out" => options with { Out = Value() },
                _ => throw new ArgumentException($"Unknown argument '{arg}'.\n{Usage}"),
            };
        }

        if (options.Modes.Any(m => m is not ("Batched" or "Single")))
        {
            throw new ArgumentException($"--modes takes Batched and/or Single.\n{Usage}");
        }

        return options;
    }

    private static int Niceness(string arg, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= Testing.DevHostProcess.MaxNiceness
            ? n
            : throw new ArgumentException($"{arg} takes a number from 0 to {Testing.DevHostProcess.MaxNiceness}.\n{Usage}");

    /// <summary>"on", "off" or "on,off": each distinct, in the order given.</summary>
    private static IReadOnlyList<bool> Switches(string arg, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 || parts.Any(p => p is not ("on" or "off"))
            ? throw new ArgumentException($"{arg} takes on, off or on,off.\n{Usage}")
            : [.. parts.Distinct().Select(p => p == "on")];
    }

    /// <summary>"1,4": distinct positive numbers, in the order given.</summary>
    private static IReadOnlyList<int> Counts(string arg, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToList();
        return counts.Count == 0 || counts.Contains(0)
            ? throw new ArgumentException($"{arg} takes positive numbers separated by commas, e.g. 1,4.\n{Usage}")
            : [.. counts.Distinct()];
    }
}
