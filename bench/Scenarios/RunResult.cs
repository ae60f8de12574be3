using FestivalReservations.Bench.Checks;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>The app's commit counters (devhost's GET /admin/metrics).</summary>
public sealed record AppMetrics(
    long Committed, long Conflicts, long Transactions, long Operations, long LargestTransaction,
    IReadOnlyDictionary<string, StageTime>? Stages)
{
    /// <summary>The counts of the measured run alone (stage means include the warm-up, which is small).</summary>
    public AppMetrics Minus(AppMetrics before) => this with
    {
        Committed = Committed - before.Committed,
        Conflicts = Conflicts - before.Conflicts,
        Transactions = Transactions - before.Transactions,
        Operations = Operations - before.Operations,
    };
}

/// <summary>How often a stage of the app's commit path ran and its mean duration.</summary>
public sealed record StageTime(long Count, double MeanMs);

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
