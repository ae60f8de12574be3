using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Storage;

/// <summary>One entry of the SessionsByEnd index: a session that ended on the bucket's day (UTC) and whose personal data may still be stored.</summary>
public sealed record SessionEndEntry(string Bucket, string SessionId, ETag ETag);

/// <summary>
/// The SessionsByEnd table: PK the UTC day a session ends (<c>yyyyMMdd</c>, so that the order of the
/// names is the order of the days), RK the session. Written before a session's counter is created
/// (catalog seed, catalog upload) and when its end moves, so every session partition of every season
/// is named here, whether or not a catalog still lists it. The erasure run reads the days up to its
/// cutoff and clears each entry once the session is erased: it reads what is still to erase, not
/// what is kept. Partitions written before the index existed are entered once by <see cref="BackfillAsync"/>.
/// Row PK <see cref="StatePartition"/> holds the index's own state (backfilled or not).
/// </summary>
public sealed class SessionsByEnd(StorageTables tables)
{
    public const string Format = "yyyyMMdd";
    public const string StatePartition = "~state";
    private const string BackfillRow = "backfill";
    private readonly TableClient _index = tables.SessionsByEnd;
    private readonly TableClient _sessions = tables.Sessions;

    public static string BucketOf(DateTimeOffset end) => end.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Names the session under the day it ends (an idempotent upsert).</summary>
    public async Task CoverAsync(SessionState session, CancellationToken cancellationToken) =>
        await _index.UpsertEntityAsync(new TableEntity(BucketOf(session.End), session.SessionId) { ["End"] = session.End },
            TableUpdateMode.Replace, cancellationToken);

    /// <summary>Entries of sessions that end on <paramref name="lastBucket"/>'s day or before, not cleared yet.</summary>
    public async IAsyncEnumerable<SessionEndEntry> UpToAsync(
        string lastBucket, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {lastBucket}");
        await foreach (var row in _index.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            yield return new SessionEndEntry(row.PartitionKey, row.RowKey, row.ETag);
        }
    }

    /// <summary>Deletes an entry as read; one written again since (412) or gone already (404) is left as it is.</summary>
    public async Task ClearAsync(SessionEndEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _index.DeleteEntityAsync(entry.Bucket, entry.SessionId, entry.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    /// <summary>Whether every session partition written before the index existed has been entered.</summary>
    public async Task<bool> IsBackfilledAsync(CancellationToken cancellationToken) =>
        (await _index.GetEntityIfExistsAsync<TableEntity>(StatePartition, BackfillRow, ["RowKey"], cancellationToken)).HasValue;

    /// <summary>
    /// Enters every session counter of the Sessions table (one scan of it, done once; it is safe to
    /// repeat, and a run that stops midway is finished by the next), then records that it is done.
    /// Returns how many sessions it entered.
    /// </summary>
    public async Task<int> BackfillAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entered = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey eq {SessionRows.Counter}");
        await foreach (var row in _sessions.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "End"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("End") is { } end)
            {
                await _index.UpsertEntityAsync(new TableEntity(BucketOf(end), row.PartitionKey) { ["End"] = end }, TableUpdateMode.Replace, cancellationToken);
                entered++;
            }
        }

        await _index.UpsertEntityAsync(new TableEntity(StatePartition, BackfillRow) { ["At"] = now, ["Sessions"] = entered },
            TableUpdateMode.Replace, cancellationToken);
        return entered;
    }
}
