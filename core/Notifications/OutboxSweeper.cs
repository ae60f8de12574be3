using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Puts the SMS of outbox rows that are older than <see cref="MinimumAge"/> on the sms queue and
/// deletes the rows: those whose dispatch right after the commit never happened (the process died,
/// the queue was down). It finds them through the outbox index (<see cref="OutboxIndex"/>), so a
/// sweep reads the sessions that had SMS in the last minutes, not every partition of Sessions.
/// Sending is idempotent by message id, so an SMS dispatched twice (by the commit path and by a
/// sweep, or by two app instances) is still one SMS.
/// </summary>
public sealed class OutboxSweeper(
    StorageTables tables, OutboxDispatcher dispatcher, TimeProvider clock, IOptions<StorageOptions> storage, ILogger<OutboxSweeper> logger)
{
    private readonly OutboxStore _rows = new(tables);
    private readonly OutboxIndex _index = new(tables);

    public static readonly TimeSpan DefaultMinimumAge = TimeSpan.FromMinutes(1);

    /// <summary>Rows younger than this are left to the dispatch that follows their commit. Tests lower it.</summary>
    public TimeSpan MinimumAge { get; set; } = DefaultMinimumAge;

    /// <summary>
    /// An index entry is cleared only once its minute ended this long ago: by then every transaction
    /// decided in that minute is written or given up (the code claim and the transaction, each with all
    /// the SDK's retries), so no row can appear behind the sweep's back. Tests lower it.
    /// </summary>
    public TimeSpan ClearAge { get; set; } = ClearAgeFor(storage.Value);

    public static TimeSpan ClearAgeFor(StorageOptions options)
    {
        var longestCall = (options.MaxRetries + 1) * (options.NetworkTimeout + TimeSpan.FromSeconds(2));
        return DefaultMinimumAge > 2 * longestCall ? DefaultMinimumAge : 2 * longestCall;
    }

    /// <returns>How many SMS were dispatched.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - MinimumAge;
        var entries = new List<OutboxIndexEntry>();
        await foreach (var entry in _index.UpToAsync(OutboxBuckets.Of(cutoff), cancellationToken))
        {
            entries.Add(entry);
        }

        var count = 0;
        foreach (var session in entries.GroupBy(e => e.SessionId, StringComparer.Ordinal))
        {
            count += await SweepSessionAsync(session.Key, session.ToList(), cutoff, now - ClearAge, cancellationToken);
        }

        if (count > 0)
        {
            logger.LogWarning("Outbox sweep dispatched {Count} SMS older than {MinimumAge}", count, MinimumAge);
        }

        return count;
    }

    private async Task<int> SweepSessionAsync(
        string sessionId, IReadOnlyList<OutboxIndexEntry> entries, DateTimeOffset cutoff, DateTimeOffset clearBefore, CancellationToken cancellationToken)
    {
        var count = 0;
        var left = new List<DateTimeOffset>();
        foreach (var row in await _rows.PendingAsync(sessionId, cancellationToken))
        {
            if (row.CreatedAt <= cutoff && await dispatcher.DispatchAsync(row, cancellationToken))
            {
                count += row.Messages.Count;
            }
            else
            {
                left.Add(row.CreatedAt);
            }
        }

        foreach (var entry in entries.Where(e => OutboxBuckets.CanClear(e.Bucket, clearBefore, left)))
        {
            await _index.ClearAsync(entry, cancellationToken);
        }

        return count;
    }
}
