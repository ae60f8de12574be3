using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// Time buckets of the outbox index: one per UTC minute, named <c>yyyyMMddHHmm</c> so that the
/// order of the names is the order of the minutes.
/// </summary>
public static class OutboxBuckets
{
    public const string Format = "yyyyMMddHHmm";

    public static readonly TimeSpan Width = TimeSpan.FromMinutes(1);

    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Start(string bucket) =>
        DateTimeOffset.ParseExact(bucket, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The first instant after the bucket (exclusive end).</summary>
    public static DateTimeOffset End(string bucket) => Start(bucket) + Width;

    /// <summary>
    /// Whether a session's entry for <paramref name="bucket"/> can go: the minute ended before
    /// <paramref name="clearBefore"/> (so no transaction decided in it is still on its way), and none of the
    /// session's outbox rows still there (<paramref name="left"/>, by creation time) was created in it or before.
    /// </summary>
    public static bool CanClear(string bucket, DateTimeOffset clearBefore, IEnumerable<DateTimeOffset> left) =>
        End(bucket) <= clearBefore && !left.Any(createdAt => createdAt < End(bucket));
}

/// <summary>One entry of the outbox index: a session may hold outbox rows created during the bucket's minute.</summary>
public sealed record OutboxIndexEntry(string Bucket, string SessionId, ETag ETag);

/// <summary>
/// The OutboxIndex table: PK the minute an outbox row was created (<see cref="OutboxBuckets"/>), RK the
/// session that holds it. Written before the session transaction that writes the row (outbox rows live in
/// their session's partition, so nothing else can be written with them), so every outbox row is found
/// through an entry; an entry without a row is harmless and cleared by the sweep. The sweep thus reads
/// the sessions that had SMS in the last minutes, not every partition of Sessions.
/// </summary>
public sealed class OutboxIndex(StorageTables tables)
{
    private readonly TableClient _table = tables.OutboxIndex;

    /// <summary>The last bucket this instance wrote for each session: one write per session per minute, not per transaction.</summary>
    private readonly ConcurrentDictionary<string, string> _covered = new(StringComparer.Ordinal);

    /// <summary>Makes sure the index names the session for every minute in which these steps created an SMS.</summary>
    public async Task CoverAsync(string sessionId, IReadOnlyList<SessionStep> steps, CancellationToken cancellationToken)
    {
        var buckets = steps.SelectMany(s => s.Events).OfType<SmsOwed>().Select(s => OutboxBuckets.Of(s.Message.CreatedAt)).Distinct();
        foreach (var bucket in buckets)
        {
            if (_covered.TryGetValue(sessionId, out var last) && last == bucket)
            {
                continue;
            }

            await _table.UpsertEntityAsync(new TableEntity(bucket, sessionId), TableUpdateMode.Replace, cancellationToken);
            _covered[sessionId] = bucket;
        }
    }

    /// <summary>Entries of <paramref name="lastBucket"/> and every bucket before it that are not cleared yet.</summary>
    public async IAsyncEnumerable<OutboxIndexEntry> UpToAsync(
        string lastBucket, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey le {lastBucket}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            yield return new OutboxIndexEntry(entity.PartitionKey, entity.RowKey, entity.ETag);
        }
    }

    /// <summary>Deletes an entry as read: one written again since (412) or gone already (404) is left as it is.</summary>
    public async Task ClearAsync(OutboxIndexEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(entry.Bucket, entry.SessionId, entry.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }
}
