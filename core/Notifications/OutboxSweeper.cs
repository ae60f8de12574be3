using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Puts the SMS of outbox rows that are older than <see cref="MinimumAge"/> on the sms queue and deletes
/// them: the records whose dispatch right after the commit never happened (the process died, the
/// queue was down). Sending is idempotent by message id, so a record dispatched twice (by the
/// commit path and by a sweep, or by two app instances) is still one SMS.
/// </summary>
public sealed class OutboxSweeper(StorageTables tables, OutboxDispatcher dispatcher, TimeProvider clock, ILogger<OutboxSweeper> logger)
{
    private readonly OutboxStore _rows = new(tables);

    public static readonly TimeSpan DefaultMinimumAge = TimeSpan.FromMinutes(1);

    /// <summary>Records younger than this are left to the dispatch that follows their commit. Tests lower it.</summary>
    public TimeSpan MinimumAge { get; set; } = DefaultMinimumAge;

    /// <returns>How many SMS were dispatched.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - MinimumAge;
        var count = 0;
        await foreach (var row in _rows.WrittenBeforeAsync(cutoff, cancellationToken))
        {
            await dispatcher.DispatchAsync(row, cancellationToken);
            count += row.Messages.Count;
        }

        if (count > 0)
        {
            logger.LogWarning("Outbox sweep dispatched {Count} SMS record(s) older than {MinimumAge}", count, MinimumAge);
        }

        return count;
    }
}
