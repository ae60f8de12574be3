using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The outbox rows of the sessions' partitions, once they are on the sms queue or left behind:
/// written by a session's own transaction (<see cref="SessionTransactions"/>), deleted and swept here.
/// </summary>
public sealed class OutboxStore(StorageTables tables)
{
    private readonly TableClient _sessions = tables.Sessions;

    public async Task DeleteAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        await _sessions.DeleteEntityAsync(message.SessionId, SessionRows.Outbox(message.MessageId), ETag.All, cancellationToken);

    /// <summary>The rows of one session's messages in one transaction: all gone, or (one already gone) none.</summary>
    public async Task DeleteAllAsync(string sessionId, IEnumerable<OutboxMessage> messages, CancellationToken cancellationToken) =>
        await _sessions.SubmitTransactionAsync(messages.Select(m => new TableTransactionAction(
            TableTransactionActionType.Delete, new TableEntity(sessionId, SessionRows.Outbox(m.MessageId)), ETag.All)), cancellationToken);

    /// <summary>
    /// Rows written at or before <paramref name="cutoff"/>, across every session: a cross-partition
    /// scan (outbox rows live in their session's partition, written in the change's own transaction,
    /// so no other table can index them atomically). The filter runs on the server; at a festival's
    /// scale (tens of thousands of rows) one scan a minute is cheap. Should it grow, query the
    /// partitions of today's and future sessions one by one instead.
    /// </summary>
    public async IAsyncEnumerable<OutboxMessage> WrittenBeforeAsync(
        DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {SessionRows.PrefixEnd(SessionRows.OutboxPrefix)} and CreatedAt le {cutoff}");
        await foreach (var entity in _sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return SessionEntities.ToOutbox(entity);
        }
    }
}
