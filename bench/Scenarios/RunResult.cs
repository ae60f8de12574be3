using FestivalReservations.Bench.Checks;
using FestivalReservations.Bench.Load;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// One scenario in one commit mode with N app instances over one storage: what the clients saw,
/// what the instances counted (added up), what the store holds. Latencies in ms, over answered
/// attempts (all) and confirmed ones. <see cref="Bound"/> says how a bounded run was cut short.
/// </summary>
public sealed record RunResult(
    string Scenario,
    string Mode,
    int Instances,
    int Attempts,
    int Clients,
    int Sessions,
    int Capacity,
    int Confirmed,
    int ConfirmedSeats,
    double ThroughputPerSecond,
    double SoldOutAfterSeconds,
    double DurationSeconds,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double ConfirmedP50Ms,
    double ConfirmedP95Ms,
    double ConfirmedP99Ms,
    long Conflicts,
    long Transactions,
    double ConflictsPerTransaction,
    double ReservationsPerTransaction,
    long LargestTransaction,
    long Operations,
    double EntitiesPerReservation,
    long AllotmentMoves,
    int Unavailable,
    IReadOnlyDictionary<string, int> Refusals,
    IReadOnlyDictionary<int, int> OtherStatuses,
    double? PeakMemoryMb,
    IReadOnlyDictionary<string, StageTime>? Stages,
    IReadOnlyList<InstanceResult> PerInstance,
    string? Bound,
    CheckResult Checks)
{
    /// <summary>Whether the instances ran with OpenTelemetry on (off: <c>OTEL_SDK_DISABLED</c>, the app's own metrics view still counts).</summary>
    public bool Telemetry { get; init; } = true;

    /// <summary>The run's figures from the clients' outcomes (of <paramref name="planned"/> attempts) and each instance's counters of the measured part.</summary>
    public static RunResult Of(
        ScenarioSpec spec, string mode, int planned, LoadResult load, IReadOnlyList<AppMetrics> perInstance, IReadOnlyList<double?> peakMemoryMb, CheckResult checks)
    {
        var metrics = AppMetrics.Sum(perInstance);
        var answered = load.AnsweredBy(perInstance.Count);
        return new RunResult(
            spec.Name, mode, perInstance.Count, load.Outcomes.Count, spec.Clients, spec.Sessions.Count, spec.Capacity,
            load.Confirmed, load.ConfirmedSeats,
            Math.Round(load.Throughput, 1), Math.Round(load.LastConfirmedAtMs / 1000, 2), Math.Round(load.ElapsedMs / 1000, 2),
            Math.Round(load.Percentile(50), 1), Math.Round(load.Percentile(95), 1), Math.Round(load.Percentile(99), 1),
            Math.Round(load.ConfirmedPercentile(50), 1), Math.Round(load.ConfirmedPercentile(95), 1), Math.Round(load.ConfirmedPercentile(99), 1),
            metrics.Conflicts, metrics.Transactions, Ratio(metrics.Conflicts, metrics.Transactions, 2),
            Ratio(metrics.Committed, metrics.Transactions, 1), metrics.LargestTransaction,
            metrics.Operations, Ratio(metrics.Operations, metrics.Committed, 2), metrics.AllotmentMoves,
            load.Unavailable, load.Refusals, load.Other,
            peakMemoryMb.Max(), metrics.Stages,
            [.. perInstance.Select((m, i) => new InstanceResult(i + 1, answered[i], m.Requests, m.Committed, m.Transactions, m.Conflicts, peakMemoryMb[i], m.Stages))],
            BoundNote(spec, planned, load),
            checks);
    }

    /// <summary><paramref name="of"/> per <paramref name="per"/>, rounded; 0 when there is nothing to divide by.</summary>
    public static double Ratio(long of, long per, int digits) => per > 0 ? Math.Round((double)of / per, digits) : 0;

    private static string? BoundNote(ScenarioSpec spec, int planned, LoadResult load) => spec.Bound is not { } bound
        ? null
        : FormattableString.Invariant(
            $"clients started no attempt after {bound.TotalSeconds:0} s and retried none: {load.Outcomes.Count:N0} of {planned:N0} attempts started, {load.CutAtBound:N0} cut while retrying; compare confirmed/s, not totals");
}

/// <summary>
/// One app instance of a run (1-based): attempts its clients got a final answer from, HTTP calls it
/// served (its own count, retries included), reservations and transactions it committed, its 412s.
/// </summary>
public sealed record InstanceResult(int Instance, int Answered, long Requests, long Committed, long Transactions, long Conflicts, double? PeakMemoryMb,
    IReadOnlyDictionary<string, StageTime>? Stages = null)
{
    /// <summary>The request's own stages on this instance (its hold, its commit): where one slow instance's time goes.</summary>
    public IEnumerable<KeyValuePair<string, StageTime>> RequestStages =>
        (Stages ?? new Dictionary<string, StageTime>()).Where(s => s.Key.StartsWith("request.", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal);
}
