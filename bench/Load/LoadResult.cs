namespace FestivalReservations.Bench.Load;

/// <summary>The outcome of every attempt that was started, and the run's wall time.</summary>
public sealed record LoadResult(IReadOnlyList<AttemptOutcome> Outcomes, double ElapsedMs)
{
    /// <summary>Attempts with a final answer (not cut at the run's bound).</summary>
    public IEnumerable<AttemptOutcome> Answered => Outcomes.Where(o => !o.CutAtBound);

    public int Confirmed => Outcomes.Count(o => o.Confirmed);

    public int ConfirmedSeats => Outcomes.Where(o => o.Confirmed).Sum(o => o.Attempt.PartySize);

    /// <summary>Attempts under way when the run's bound came, left without a final answer.</summary>
    public int CutAtBound => Outcomes.Count(o => o.CutAtBound);

    /// <summary>503 answers seen (each was retried).</summary>
    public int Unavailable => Outcomes.Sum(o => o.Unavailable);

    /// <summary>Final answers other than 201 and 409 (including attempts that never got an answer: status 0).</summary>
    public IReadOnlyDictionary<int, int> Other => Answered.Where(o => o.Status is not (201 or 409))
        .GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());

    public IReadOnlyDictionary<string, int> Refusals => Answered.Where(o => o.Status == 409)
        .GroupBy(o => o.ErrorCode ?? "?").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Final answers per app instance (index → count), every instance of <paramref name="instances"/> listed.</summary>
    public IReadOnlyList<int> AnsweredBy(int instances) =>
        [.. Enumerable.Range(0, instances).Select(i => Answered.Count(o => o.Instance == i))];

    /// <summary>When the last confirmation came (ms): the end of "until sold out".</summary>
    public double LastConfirmedAtMs => Outcomes.Where(o => o.Confirmed).Select(o => o.AnsweredAtMs).DefaultIfEmpty(0).Max();

    /// <summary>Confirmed reservations per second, from the start until the last confirmation.</summary>
    public double Throughput => LastConfirmedAtMs > 0 ? Confirmed / (LastConfirmedAtMs / 1000) : 0;

    /// <summary>The visitors' wait (ms) at percentile <paramref name="p"/>, over every answered attempt.</summary>
    public double Percentile(double p) => NearestRank(Answered.Select(o => o.LatencyMs), p);

    /// <summary>The wait (ms) at percentile <paramref name="p"/> of the attempts that were confirmed.</summary>
    public double ConfirmedPercentile(double p) => NearestRank(Outcomes.Where(o => o.Confirmed).Select(o => o.LatencyMs), p);

    private static double NearestRank(IEnumerable<double> latencies, double p)
    {
        var sorted = latencies.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
