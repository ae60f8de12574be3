using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Storage;

/// <summary>A session's counter as read, with the ETag that guards the next write.</summary>
public sealed record SessionSnapshot(SessionState State, ETag ETag, string? PhoneMarkerCode);

/// <summary>Reads and writes the rows of one session's partition.</summary>
public sealed class SessionStore(StorageTables tables)
{
    private readonly TableClient _sessions = tables.Sessions;

    /// <summary>The counter, and the phone marker when a phone hash is given, in one request.</summary>
    public async Task<SessionSnapshot?> ReadAsync(string sessionId, string? phoneHash, CancellationToken cancellationToken)
    {
        var filter = phoneHash is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey eq {SessionRows.Counter}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {sessionId} and (RowKey eq {SessionRows.Counter} or RowKey eq {SessionRows.PhoneMarker(phoneHash)})");
        TableEntity? counter = null;
        string? markerCode = null;
        await foreach (var entity in _sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == SessionRows.Counter)
            {
                counter = entity;
            }
            else
            {
                markerCode = entity.GetString("Code");
            }
        }

        return counter is null ? null : new SessionSnapshot(SessionEntities.ToSession(counter), counter.ETag, markerCode);
    }

    /// <summary>The counter alone, by a point read (the cheapest read storage serves).</summary>
    public async Task<SessionSnapshot?> ReadCounterAsync(string sessionId, CancellationToken cancellationToken)
    {
        var response = await _sessions.GetEntityIfExistsAsync<TableEntity>(sessionId, SessionRows.Counter, cancellationToken: cancellationToken);
        return response.HasValue ? new SessionSnapshot(SessionEntities.ToSession(response.Value!), response.Value!.ETag, null) : null;
    }

    /// <summary>Which of these phone hashes already hold a marker in the session, in one query.</summary>
    public async Task<IReadOnlySet<string>> FindPhoneMarkersAsync(
        string sessionId, IReadOnlyCollection<string> phoneHashes, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in phoneHashes.Distinct(StringComparer.Ordinal).Chunk(20))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sessionId}") + " and (" + string.Join(" or ",
                chunk.Select(h => TableClient.CreateQueryFilter($"RowKey eq {SessionRows.PhoneMarker(h)}"))) + ")";
            await foreach (var entity in _sessions.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                found.Add(entity.RowKey[SessionRows.PhoneMarkerPrefix.Length..]);
            }
        }

        return found;
    }

    public async Task<SessionState?> GetStateAsync(string sessionId, CancellationToken cancellationToken) =>
        (await ReadAsync(sessionId, null, cancellationToken))?.State;

    public async Task<(Reservation Reservation, ETag ETag)?> GetReservationAsync(
        string sessionId, string code, CancellationToken cancellationToken)
    {
        var response = await _sessions.GetEntityIfExistsAsync<TableEntity>(
            sessionId, SessionRows.Reservation(code), cancellationToken: cancellationToken);
        return response.HasValue ? (SessionEntities.ToReservation(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>Every row of one kind in a session, in row-key order (waitlist tickets come out in line order).</summary>
    public IAsyncEnumerable<TableEntity> QueryPrefixAsync(string sessionId, string prefix, CancellationToken cancellationToken)
    {
        var end = SessionRows.PrefixEnd(prefix);
        return _sessions.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey ge {prefix} and RowKey lt {end}"),
            cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<Reservation>> ListReservationsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var list = new List<Reservation>();
        await foreach (var entity in QueryPrefixAsync(sessionId, SessionRows.ReservationPrefix, cancellationToken))
        {
            list.Add(SessionEntities.ToReservation(entity));
        }

        return list.OrderBy(r => r.CreatedAt).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>One entity group transaction: all of it or none of it.</summary>
    /// <returns>The new ETag of the first action's entity (the counter), when the store says.</returns>
    public async Task<ETag?> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var response = await _sessions.SubmitTransactionAsync(actions, cancellationToken);
        return response?.Value is { Count: > 0 } results ? results[0].Headers.ETag : null;
    }

    /// <summary>Creates the counter of a new session; an existing one (with its seats) is left alone.</summary>
    public async Task<bool> TryCreateAsync(SessionState state, CancellationToken cancellationToken)
    {
        try
        {
            await _sessions.AddEntityAsync(SessionEntities.ToEntity(state), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
