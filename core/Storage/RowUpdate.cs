using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations.Commit;

namespace FestivalReservations.Core.Storage;

/// <summary>What a <see cref="RowUpdate"/> change decided: the row to write (null: write nothing) and the answer.</summary>
public readonly record struct RowChange<T>(TableEntity? Next, T Result);

/// <summary>
/// Read-modify-write of one table row, guarded by its ETag: the one way the small shared counters
/// (a phone's day, its SMS budget, a code's failed look-ups) are changed by many instances at once.
/// A 412 or 409 (someone else wrote first) re-reads and decides again; so does a transient failure,
/// whose write may or may not have landed, so a change must recognise its own earlier write in the
/// row it is given (an id it put there) where counting twice would matter.
/// </summary>
public static class RowUpdate
{
    /// <summary>Tries while others keep writing the row first.</summary>
    public const int MaxAttempts = 30;

    /// <summary>Tries after failures: the SDK has retried each already, so an outage reaches the caller (503) soon.</summary>
    public const int MaxFailedAttempts = 2;

    public static async Task<T> RunAsync<T>(
        TableClient table, string partitionKey, string rowKey, Func<TableEntity?, RowChange<T>> change, CancellationToken cancellationToken)
    {
        var failed = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var read = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
                var current = read.HasValue ? read.Value : null;
                var (next, result) = change(current);
                if (next is null)
                {
                    return result;
                }

                next.PartitionKey = partitionKey;
                next.RowKey = rowKey;
                if (current is null)
                {
                    await table.AddEntityAsync(next, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return result;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                await ConflictBackoff.WaitAsync(attempt, CancellationToken.None);
            }
            catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken) && ++failed < MaxFailedAttempts)
            {
                await ConflictBackoff.WaitAsync(attempt, CancellationToken.None);
            }
        }
    }
}
