namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// One app instance's counters (devhost's GET /admin/metrics): reservations in committed
/// transactions, 412s, committed transactions, the table operations they held, the largest,
/// seats moved between a session's counter and its allotments, HTTP function calls served, and
/// the commit path's stages.
/// </summary>
public sealed record AppMetrics(
    long Committed, long Conflicts, long Transactions, long Operations, long LargestTransaction,
    IReadOnlyDictionary<string, StageTime>? Stages, long AllotmentMoves = 0, long Requests = 0)
{
    /// <summary>The counts and stage means of the measured run alone (the largest transaction is the app's, warm-up included).</summary>
    public AppMetrics Minus(AppMetrics before) => this with
    {
        Committed = Committed - before.Committed,
        Conflicts = Conflicts - before.Conflicts,
        Transactions = Transactions - before.Transactions,
        Operations = Operations - before.Operations,
        AllotmentMoves = AllotmentMoves - before.AllotmentMoves,
        Requests = Requests - before.Requests,
        Stages = Stages?.Select(s => (s.Key, Time: s.Value.Minus(before.Stages?.GetValueOrDefault(s.Key))))
            .Where(s => s.Time.Count > 0)
            .ToDictionary(s => s.Key, s => s.Time),
    };

    /// <summary>
    /// Several instances as one app: counts added up, the largest transaction the largest of any,
    /// each stage's mean weighted by how often it ran on each instance.
    /// </summary>
    public static AppMetrics Sum(IReadOnlyCollection<AppMetrics> instances) => new(
        instances.Sum(m => m.Committed),
        instances.Sum(m => m.Conflicts),
        instances.Sum(m => m.Transactions),
        instances.Sum(m => m.Operations),
        instances.Select(m => m.LargestTransaction).DefaultIfEmpty(0).Max(),
        instances.SelectMany(m => m.Stages ?? new Dictionary<string, StageTime>())
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => StageTime.Combine(g.Select(s => s.Value)), StringComparer.Ordinal),
        instances.Sum(m => m.AllotmentMoves),
        instances.Sum(m => m.Requests));
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

    /// <summary>The calls of all of <paramref name="times"/>, and their mean.</summary>
    public static StageTime Combine(IEnumerable<StageTime> times)
    {
        var list = times.ToList();
        var count = list.Sum(t => t.Count);
        return new StageTime(count, count == 0 ? 0 : Math.Round(list.Sum(t => t.Count * t.MeanMs) / count, 1));
    }
}
