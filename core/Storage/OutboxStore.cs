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

    /// <summary>The outbox rows of one session still there (a range of its partition: what is pending, not what is kept).</summary>
    public async Task<IReadOnlyList<OutboxRow>> PendingAsync(string sessionId, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxRow>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {sessionId} and RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {SessionRows.PrefixEnd(SessionRows.OutboxPrefix)}");
        await foreach (var entity in _sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(OutboxRows.FromEntity(entity));
        }

        return rows;
    }
}
