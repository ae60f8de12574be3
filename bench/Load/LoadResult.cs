namespace FestivalReservations.Bench.Load;

/// <summary>Every attempt's outcome and the run's wall time.</summary>
public sealed record LoadResult(IReadOnlyList<AttemptOutcome> Outcomes, double ElapsedMs)
{
    public int Confirmed => Outcomes.Count(o => o.Confirmed);

    public int ConfirmedSeats => Outcomes.Where(o => o.Confirmed).Sum(o => o.Attempt.PartySize);

    /// <summary>503 answers seen (each was retried).</summary>
    public int Unavailable => Outcomes.Sum(o => o.Unavailable);

    /// <summary>Final answers other than 201 and 409 (including attempts that never got an answer: status 0).</summary>
    public IReadOnlyDictionary<int, int> Other => Outcomes.Where(o => o.Status is not (201 or 409))
        .GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());

    public IReadOnlyDictionary<string, int> Refusals => Outcomes.Where(o => o.Status == 409)
        .GroupBy(o => o.ErrorCode ?? "?").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>When the last confirmation came (ms): the end of "until sold out".</summary>
    public double LastConfirmedAtMs => Outcomes.Where(o => o.Confirmed).Select(o => o.AnsweredAtMs).DefaultIfEmpty(0).Max();

    /// <summary>Confirmed reservations per second, from the start until the last confirmation.</summary>
    public double Throughput => LastConfirmedAtMs > 0 ? Confirmed / (LastConfirmedAtMs / 1000) : 0;

    public double Percentile(double p)
    {
        if (Outcomes.Count == 0)
        {
            return 0;
        }

        var sorted = Outcomes.Select(o => o.LatencyMs).Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
