using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FestivalReservations.Bench.Scenarios;

namespace FestivalReservations.Bench.Reporting;

/// <summary>Everything one bench run measured, the ratios issues 6 and 15 ask for, and which targets were met.</summary>
public sealed record BenchReport(
    DateTimeOffset Date,
    int Cores,
    string Machine,
    string Command,
    IReadOnlyList<RunResult> Runs,
    CeilingResult? Ceiling,
    int AppNiceness = 0)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private RunResult? Rush(string mode, int instances = 1) =>
        Runs.FirstOrDefault(r => r.Scenario == "rush" && r.Mode == mode && r.Instances == instances && r.Telemetry);

    /// <summary>Rush throughput, Batched over Single (one instance each).</summary>
    public double? RushBatchedOverSingle =>
        Rush("Batched") is { } b && Rush("Single") is { ThroughputPerSecond: > 0 } s ? Math.Round(b.ThroughputPerSecond / s.ThroughputPerSecond, 1) : null;

    /// <summary>Rush throughput in Batched mode (one instance) over the ceiling with holds (information: the targets read <see cref="RushBatchedOverCeiling"/>).</summary>
    public double? RushBatchedOverCeilingWithHolds =>
        Rush("Batched") is { } b && Ceiling is { WithHoldsPerSecond: > 0 } c ? Math.Round(b.ThroughputPerSecond / c.WithHoldsPerSecond.Value, 3) : null;

    /// <summary>Rush throughput in Batched mode (one instance) over the storage ceiling's reservations/s.</summary>
    public double? RushBatchedOverCeiling =>
        Rush("Batched") is { } b && Ceiling is { ReservationsPerSecond: > 0 } c ? Math.Round(b.ThroughputPerSecond / c.ReservationsPerSecond, 3) : null;

    /// <summary>Rush throughput in Batched mode, four instances over one (issue 15).</summary>
    public double? RushFourOverOne =>
        Rush("Batched", 4) is { } four && Rush("Batched") is { ThroughputPerSecond: > 0 } one ? Math.Round(four.ThroughputPerSecond / one.ThroughputPerSecond, 2) : null;

    public IReadOnlyDictionary<string, bool?> Targets => new Dictionary<string, bool?>
    {
        ["noOversoldDuplicatesOrLost"] = Runs.Count == 0 ? null : Runs.All(r => r.Checks.Passed),
        ["rushBatchedAtLeast10xSingle"] = RushBatchedOverSingle is { } x ? x >= 10 : null,
        ["rushBatchedP99Under1s"] = Rush("Batched") is { } b ? b.P99Ms < 1000 : null,
        ["rushBatchedAtLeastQuarterOfCeiling"] = RushBatchedOverCeiling is { } y ? y >= 0.25 : null,
        ["rush1AtLeast0.4OfCeilingAndP99AtMost600ms"] = RushBatchedOverCeiling is { } z && Rush("Batched") is { } one ? z >= 0.4 && one.P99Ms <= 600 : null,
        ["rush4AtLeast70PercentOfRush1"] = RushFourOverOne is { } f ? f >= 0.7 : null,
        ["rush4ConfirmedP99AtMost1.5s"] = Rush("Batched", 4) is { } p ? p.ConfirmedP99Ms <= 1500 : null,
        ["rush4AtMost0.1ConflictsPerTransaction"] = Rush("Batched", 4) is { } q ? q.ConflictsPerTransaction <= 0.1 : null,
        ["rushAtMost1.5EntitiesPerReservation"] = Rush("Batched") is { Confirmed: > 0 } e ? e.EntitiesPerReservation <= 1.5 : null,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"Bench of {Date:yyyy-MM-dd HH:mm} UTC, {Cores} cores ({Machine}), app instances at nice {AppNiceness}: `{Command}`");
        md.AppendLine();
        md.AppendLine("| Scenario | Mode | Instances | Attempts | Clients | Confirmed | Confirmed/s | Sold out at | p50/p95/p99 ms (all) | p50/p95/p99 ms (confirmed) | 412s | 412s/tx | Transactions | Res./tx | Entities/res. | Allotment moves | 503s+timeouts | Other | Peak MB | Checks |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in Runs)
        {
            var other = r.OtherStatuses.Count == 0 ? "0" : string.Join(" ", r.OtherStatuses.Select(o => $"{o.Key}×{o.Value}"));
            md.AppendLine(c,
                $"| {r.Scenario} | {r.Mode}{(r.Bound is null ? "" : " (bounded)")}{(r.Telemetry ? "" : ", telemetry off")} | {r.Instances} | {r.Attempts:N0} | {r.Clients} | {r.Confirmed:N0} of {r.Capacity:N0} | {r.ThroughputPerSecond:N0} | {r.SoldOutAfterSeconds:0.0} s | {r.P50Ms:0} / {r.P95Ms:0} / {r.P99Ms:0} | {r.ConfirmedP50Ms:0} / {r.ConfirmedP95Ms:0} / {r.ConfirmedP99Ms:0} | {r.Conflicts:N0} | {r.ConflictsPerTransaction:0.00} | {r.Transactions:N0} | {r.ReservationsPerTransaction:0.0} | {r.EntitiesPerReservation:0.00} | {r.AllotmentMoves:N0} | {r.Unavailable:N0} | {other} | {r.PeakMemoryMb?.ToString("0", c) ?? "-"} | {r.Checks.Summary} |");
        }

        if (Ceiling is { } ceiling)
        {
            md.AppendLine(c,
                $"| ceiling | storage only | | {ceiling.Reservations:N0} | 1 | {ceiling.Reservations:N0} | {ceiling.ReservationsPerSecond:N0} | {ceiling.Seconds:0.0} s | | | | | {ceiling.Transactions:N0} | {CeilingRunner.PerTransaction} | | | | | | {ceiling.EntitiesPerSecond:N0} entities/s |");
            if (ceiling.WithHoldsPerSecond is { } withHolds)
            {
                md.AppendLine(c,
                    $"| ceiling+holds | storage only | | {ceiling.Reservations:N0} | {CeilingRunner.HoldWriters} | {ceiling.Reservations:N0} | {withHolds:N0} | | | | | | | {CeilingRunner.PerTransaction} | | | | | | and a phone-day row per reservation |");
            }
        }

        md.AppendLine();
        foreach (var r in Runs.Where(r => r.Bound is not null))
        {
            md.AppendLine(c, $"- {Label(r)} bounded: {r.Bound}.");
        }

        foreach (var r in Runs.Where(r => r.Instances > 1))
        {
            md.Append(c, $"- {Label(r)} per instance: ").AppendLine(string.Join("; ", r.PerInstance.Select(i =>
                string.Create(c, $"#{i.Instance} answered {i.Answered:N0} ({i.Requests:N0} requests), committed {i.Committed:N0} in {i.Transactions:N0} tx, {i.Conflicts:N0} × 412")
                + string.Concat(i.RequestStages.Select(s => string.Create(c, $", {s.Key} {s.Value.MeanMs:0} ms"))))));
        }

        foreach (var r in Runs.Where(r => r.Stages is { Count: > 0 }))
        {
            var stages = string.Join(", ", r.Stages!.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => $"{s.Key} {s.Value.MeanMs.ToString("0.0", c)} (×{s.Value.Count.ToString("N0", c)})"));
            md.Append(c, $"- {Label(r)}, mean ms per stage: ").AppendLine(stages);
        }

        md.AppendLine();
        md.AppendLine(c, $"Rush Batched/Single: {RushBatchedOverSingle?.ToString("0.0", c) ?? "-"}×; Batched/ceiling: {RushBatchedOverCeiling?.ToString("0.00", c) ?? "-"}; Batched/ceiling+holds: {RushBatchedOverCeilingWithHolds?.ToString("0.00", c) ?? "-"}; 4 instances/1: {RushFourOverOne?.ToString("0.00", c) ?? "-"}");
        md.AppendLine();
        foreach (var (target, met) in Targets)
        {
            md.AppendLine(c, $"- {target}: {(met is null ? "not measured" : met.Value ? "met" : "NOT met")}");
        }

        return md.ToString();
    }

    private static string Label(RunResult r) => $"{r.Scenario}/{r.Mode}/×{r.Instances}{(r.Telemetry ? "" : "/telemetry off")}";
}
