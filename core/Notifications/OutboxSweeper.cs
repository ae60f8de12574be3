using Azure.Data.Tables;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// Puts outbox records that are older than <see cref="MinimumAge"/> on the sms queue and deletes
/// them: the records whose dispatch right after the commit never happened (the process died, the
/// queue was down). Sending is idempotent by message id, so a record dispatched twice (by the
/// commit path and by a sweep, or by two app instances) is still one SMS.
/// </summary>
public sealed class OutboxSweeper(StorageTables tables, OutboxDispatcher dispatcher, TimeProvider clock, ILogger<OutboxSweeper> logger)
{
    public static readonly TimeSpan DefaultMinimumAge = TimeSpan.FromMinutes(1);

    /// <summary>Records younger than this are left to the dispatch that follows their commit. Tests lower it.</summary>
    public TimeSpan MinimumAge { get; set; } = DefaultMinimumAge;

    /// <returns>How many records were dispatched.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - MinimumAge;
        var end = SessionRows.PrefixEnd(SessionRows.OutboxPrefix);
        // A cross-partition scan of the Sessions table (outbox rows live in their session's
        // partition, written in the reservation's own transaction, so no other table can index
        // them atomically). The filter runs on the server; at a festival's scale (tens of
        // thousands of rows) one scan a minute is cheap. Should it grow, query the partitions of
        // today's and future sessions one by one instead.
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {end} and CreatedAt le {cutoff}");
        var count = 0;
        await foreach (var entity in tables.Sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var message = SessionEntities.ToOutbox(entity);
            await dispatcher.DispatchAsync(message, cancellationToken);
            count++;
        }

        if (count > 0)
        {
            logger.LogWarning("Outbox sweep dispatched {Count} SMS record(s) older than {MinimumAge}", count, MinimumAge);
        }

        return count;
    }
}
