using FestivalReservations.Bench.Checks;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>The app's commit counters (devhost's GET /admin/metrics).</summary>
public sealed record AppMetrics(
    long Committed, long Conflicts, long Transactions, long Operations, long LargestTransaction,
    IReadOnlyDictionary<string, StageTime>? Stages)
{
    /// <summary>The counts and stage means of the measured run alone (the largest transaction is the app's, warm-up included).</summary>
    public AppMetrics Minus(AppMetrics before) => this with
    {
        Committed = Committed - before.Committed,
        Conflicts = Conflicts - before.Conflicts,
        Transactions = Transactions - before.Transactions,
        Operations = Operations - before.Operations,
        Stages = Stages?.Select(s => (s.Key, Time: s.Value.Minus(before.Stages?.GetValueOrDefault(s.Key))))
            .Where(s => s.Time.Count > 0)
            .ToDictionary(s => s.Key, s => s.Time),
    };
}

/// <summary>How often a stage of the app's commit path ran and its mean duration.</summary>
public sealed record StageTime(long Count, double MeanMs)
{
    /// <summary>The calls since <paramref name="before"/>, and their mean.</summary>
    public StageTime Minus(StageTime? before) => before is null
        ? this
        : Count - before.Count is var count and > 0
            ? new StageTime(count, Math.Round((Count * MeanMs - before.Count * before.MeanMs) / count, 1))
            : new StageTime(0, 0);
}

/// <summary>One scenario in one commit mode: what the clients saw, what the app counted, what the store holds.</summary>
public sealed record RunResult(
    string Scenario,
    string Mode,
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
    long Conflicts,
    long Transactions,
    double ReservationsPerTransaction,
    long LargestTransaction,
    int Unavailable,
    IReadOnlyDictionary<string, int> Refusals,
    IReadOnlyDictionary<int, int> OtherStatuses,
    double? PeakMemoryMb,
    IReadOnlyDictionary<string, StageTime>? Stages,
    CheckResult Checks);
