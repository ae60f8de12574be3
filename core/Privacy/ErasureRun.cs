namespace FestivalReservations.Core.Privacy;

/// <summary>
/// What one erasure run did, kept for staff (ErasureRuns): when it ran, the cutoff (sessions that
/// ended before it were erased), how many sessions it erased and how many it could not (left for
/// the next run), sessions entered by the one-time backfill of the index, and rows by kind.
/// Numbers and times only, never a person.
/// </summary>
public sealed record ErasureRun(
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    DateTimeOffset Cutoff,
    int Sessions,
    int SessionsFailed,
    int SessionsBackfilled,
    long DurationMs,
    IReadOnlyDictionary<string, int> Rows)
{
    public int Erased(string kind) => Rows.GetValueOrDefault(kind);
}

/// <summary>The kinds of rows the session partition's erasure counts (holders add their own, see <see cref="IPersonalDataHolder"/>).</summary>
public static class ErasureKinds
{
    public const string Reservations = "reservations";
    public const string PhoneRows = "phone-rows";
    public const string WaitlistTickets = "waitlist-tickets";
    public const string OutboxRows = "outbox-rows";
}
