using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Staff;

/// <summary>One erasure run as staff see it (GET /api/staff/erasure-runs): times in UTC, numbers only.</summary>
public sealed record ErasureRunView(
    string RunId, string StartedAt, string FinishedAt, string Cutoff, int Sessions, int SessionsFailed, int SessionsBackfilled,
    long DurationMs, int RowsErased, IReadOnlyDictionary<string, int> Rows);

/// <summary>What the nightly erasure runs did, newest first: staff can show that personal data goes when promised.</summary>
public sealed class ErasureRuns(ErasureRunStore store)
{
    public const int DefaultLimit = 30;

    public async Task<Result<IReadOnlyList<ErasureRunView>>> ListAsync(string? limit, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            || count is < 1 or > ErasureRunStore.MaxListed))
        {
            return DomainError.Validation("limit", $"limit must be a whole number from 1 to {ErasureRunStore.MaxListed}.");
        }

        var runs = await store.ListAsync(count, cancellationToken);
        return runs.Select(r => new ErasureRunView(r.RunId, FestivalTime.FormatUtc(r.StartedAt), FestivalTime.FormatUtc(r.FinishedAt),
            FestivalTime.FormatUtc(r.Cutoff), r.Sessions, r.SessionsFailed, r.SessionsBackfilled, r.DurationMs, r.Rows.Values.Sum(),
            r.Rows)).ToList();
    }
}
