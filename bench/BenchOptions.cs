using System.Globalization;

namespace FestivalReservations.Bench;

/// <summary>The command line: [rush|spread|ceiling|season|all] (season runs only when named) [--attempts N] [--clients N] [--capacity N] [--modes Batched,Single] [--out path].</summary>
public sealed record BenchOptions
{
    public string Scenario { get; init; } = "all";
    public int? Attempts { get; init; }
    public int? Clients { get; init; }
    public int? Capacity { get; init; }
    public IReadOnlyList<string> Modes { get; init; } = ["Batched", "Single"];
    public string? Out { get; init; }

    public const string Usage =
        "usage: dotnet run -c Release --project bench -- [rush|spread|ceiling|season|all] [--attempts N] [--clients N] [--capacity N] [--modes Batched,Single] [--out path]";

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
                "rush" or "spread" or "ceiling" or "season" or "all" => options with { Scenario = arg },
                "--attempts" => options with { Attempts = Number() },
                "--clients" => options with { Clients = Number() },
                "--capacity" => options with { Capacity = Number() },
                "--modes" => options with { Modes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
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
}
