using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Privacy;

/// <summary>What one retention run erased.</summary>
public sealed record RetentionReport(int Sessions, int ReservationsErased, int MarkersDeleted, int IdempotencyRowsDeleted);

/// <summary>
/// Erases personal data that is no longer needed (PIPA): names and phone numbers of reservations
/// Privacy:RetentionDays after their session ended, with the phone markers, and stored first
/// responses of idempotent requests once their 24 hours are over. Counts and statuses stay, so
/// staff reports still add up.
/// </summary>
public sealed class DataRetention(
    CatalogService catalog,
    SessionStore sessions,
    StorageTables tables,
    IOptions<PrivacyOptions> options,
    TimeProvider clock,
    ILogger<DataRetention> logger)
{
    private const int MaxOperations = 100;

    public async Task<RetentionReport> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.RetentionDays);
        var festival = await catalog.GetAsync(cancellationToken);
        int sessionCount = 0, erased = 0, markers = 0;
        foreach (var session in festival.Sessions.Where(s => s.End <= cutoff))
        {
            var (e, m) = await EraseSessionAsync(session.SessionId, cancellationToken);
            sessionCount++;
            erased += e;
            markers += m;
        }

        var idempotency = await DeleteOldIdempotencyRowsAsync(now - Idempotency.IdempotencyStore.KeptFor, cancellationToken);
        var report = new RetentionReport(sessionCount, erased, markers, idempotency);
        logger.LogInformation("Retention: erased {Reservations} reservations and {Markers} phone markers in {Sessions} sessions, {Idempotency} stored responses",
            erased, markers, sessionCount, idempotency);
        return report;
    }

    private async Task<(int Erased, int Markers)> EraseSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        await foreach (var row in sessions.QueryPrefixAsync(sessionId, SessionRows.ReservationPrefix, cancellationToken))
        {
            if (!string.IsNullOrEmpty(row.GetString("Name")) || !string.IsNullOrEmpty(row.GetString("Phone")))
            {
                actions.Add(new(TableTransactionActionType.UpdateMerge,
                    new TableEntity(sessionId, row.RowKey) { ["Name"] = "", ["Phone"] = "", ["ErasedAt"] = clock.GetUtcNow() }, ETag.All));
            }
        }

        var erased = actions.Count;
        await foreach (var row in sessions.QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, cancellationToken))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(sessionId, row.RowKey), ETag.All));
        }

        foreach (var chunk in actions.Chunk(MaxOperations))
        {
            await sessions.SubmitAsync(chunk, cancellationToken);
        }

        return (erased, actions.Count - erased);
    }

    private async Task<int> DeleteOldIdempotencyRowsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {before}");
        await foreach (var row in tables.Idempotency.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await tables.Idempotency.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }
}
