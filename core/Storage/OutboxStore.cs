using Azure;
using Azure.Data.Tables;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The outbox rows of the sessions' partitions (<see cref="OutboxRows"/>), once their SMS are on the
/// sms queue or left behind: written by a session's own transaction (<see cref="SessionTransactions"/>),
/// deleted and swept here.
/// </summary>
public sealed class OutboxStore(StorageTables tables)
{
    private readonly TableClient _sessions = tables.Sessions;

    /// <summary>Deletes the row of one transaction; one already gone (the sweep was quicker) is no error.</summary>
    public async Task DeleteAsync(OutboxRow row, CancellationToken cancellationToken) =>
        await _sessions.DeleteEntityAsync(row.SessionId, row.RowKey, ETag.All, cancellationToken);

    /// <summary>
    /// Rows written at or before <paramref name="cutoff"/>, across every session: a cross-partition
    /// scan (outbox rows live in their session's partition, written in the change's own transaction,
    /// so no other table can index them atomically). The filter runs on the server; at a festival's
    /// scale (tens of thousands of rows) one scan a minute is cheap. Should it grow, query the
    /// partitions of today's and future sessions one by one instead.
    /// </summary>
    public async IAsyncEnumerable<OutboxRow> WrittenBeforeAsync(
        DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {SessionRows.PrefixEnd(SessionRows.OutboxPrefix)} and CreatedAt le {cutoff}");
        await foreach (var entity in _sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return OutboxRows.FromEntity(entity);
        }
    }
}
