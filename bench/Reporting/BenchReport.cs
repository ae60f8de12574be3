using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FestivalReservations.Bench.Scenarios;

namespace FestivalReservations.Bench.Reporting;

/// <summary>Everything one bench run measured, the ratios issue 6 asks for, and which targets were met.</summary>
public sealed record BenchReport(
    DateTimeOffset Date,
    int Cores,
    string Machine,
    string Command,
    IReadOnlyList<RunResult> Runs,
    CeilingResult? Ceiling)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private RunResult? Rush(string mode) => Runs.FirstOrDefault(r => r.Scenario == "rush" && r.Mode == mode);

    /// <summary>Rush throughput, Batched over Single.</summary>
    public double? RushBatchedOverSingle =>
        Rush("Batched") is { } b && Rush("Single") is { ThroughputPerSecond: > 0 } s ? Math.Round(b.ThroughputPerSecond / s.ThroughputPerSecond, 1) : null;

    /// <summary>Rush throughput in Batched mode over the storage ceiling's reservations/s.</summary>
    public double? RushBatchedOverCeiling =>
        Rush("Batched") is { } b && Ceiling is { ReservationsPerSecond: > 0 } c ? Math.Round(b.ThroughputPerSecond / c.ReservationsPerSecond, 3) : null;

    public IReadOnlyDictionary<string, bool?> Targets => new Dictionary<string, bool?>
    {
        ["noOversoldDuplicatesOrLost"] = Runs.Count == 0 ? null : Runs.All(r => r.Checks.Passed),
        ["rushBatchedAtLeast10xSingle"] = RushBatchedOverSingle is { } x ? x >= 10 : null,
        ["rushBatchedP99Under1s"] = Rush("Batched") is { } b ? b.P99Ms < 1000 : null,
        ["rushBatchedAtLeastQuarterOfCeiling"] = RushBatchedOverCeiling is { } y ? y >= 0.25 : null,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"Bench of {Date:yyyy-MM-dd HH:mm} UTC, {Cores} cores ({Machine}): `{Command}`");
        md.AppendLine();
        md.AppendLine("| Scenario | Mode | Attempts | Clients | Confirmed | Confirmed/s | Sold out at | p50 ms | p95 ms | p99 ms | 412s | Transactions | Res./tx | 503s+timeouts | Other | Peak MB | Checks |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in Runs)
        {
            var other = r.OtherStatuses.Count == 0 ? "0" : string.Join(" ", r.OtherStatuses.Select(o => $"{o.Key}×{o.Value}"));
            md.AppendLine(c,
                $"| {r.Scenario} | {r.Mode} | {r.Attempts:N0} | {r.Clients} | {r.Confirmed:N0} of {r.Capacity:N0} | {r.ThroughputPerSecond:N0} | {r.SoldOutAfterSeconds:0.0} s | {r.P50Ms:0} | {r.P95Ms:0} | {r.P99Ms:0} | {r.Conflicts:N0} | {r.Transactions:N0} | {r.ReservationsPerTransaction:0.0} | {r.Unavailable:N0} | {other} | {r.PeakMemoryMb?.ToString("0", c) ?? "-"} | {r.Checks.Summary} |");
        }

        if (Ceiling is { } ceiling)
        {
            md.AppendLine(c,
                $"| ceiling | storage only | {ceiling.Reservations:N0} | 1 | {ceiling.Reservations:N0} | {ceiling.ReservationsPerSecond:N0} | {ceiling.Seconds:0.0} s | | | | | {ceiling.Transactions:N0} | {CeilingRunner.PerTransaction} | | | | {ceiling.EntitiesPerSecond:N0} entities/s |");
        }

        md.AppendLine();
        foreach (var r in Runs.Where(r => r.Stages is { Count: > 0 }))
        {
            var stages = string.Join(", ", r.Stages!.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => $"{s.Key} {s.Value.MeanMs.ToString("0.0", c)} (×{s.Value.Count.ToString("N0", c)})"));
            md.Append(c, $"- {r.Scenario}/{r.Mode}, mean ms per stage: ").AppendLine(stages);
        }

        md.AppendLine();
        md.AppendLine(c, $"Rush Batched/Single: {RushBatchedOverSingle?.ToString("0.0", c) ?? "-"}×; Batched/ceiling: {RushBatchedOverCeiling?.ToString("0.00", c) ?? "-"}");
        md.AppendLine();
        foreach (var (target, met) in Targets)
        {
            md.AppendLine(c, $"- {target}: {(met is null ? "not measured" : met.Value ? "met" : "NOT met")}");
        }

        return md.ToString();
    }
}
