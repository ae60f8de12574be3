using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// Reads and writes the rows of one session's partition: the only code that turns a
/// <see cref="Session"/>'s steps into table operations (<see cref="SessionTransactions"/>).
/// </summary>
public sealed class SessionStore(StorageTables tables, ILogger<SessionStore>? logger = null)
{
    /// <summary>The column that names the transaction which last wrote a row: how a lost reply is told from a lost race.</summary>
    public const string ChangeIdColumn = "ChangeId";

    private readonly TableClient _sessions = tables.Sessions;
    private readonly OutboxIndex _outboxIndex = new(tables);

    /// <summary>The counter and what <paramref name="load"/> asks for; null when the session has no counter.</summary>
    public async Task<LoadedSession?> LoadAsync(string sessionId, SessionLoad load, CancellationToken cancellationToken)
    {
        var counterRead = load.PhoneHash is { } phoneHash
            ? ReadAsync(sessionId, phoneHash, cancellationToken)
            : ReadCounterAsync(sessionId, cancellationToken);
        var reservationRead = load.ReservationCode is { } code && !load.AllReservations
            ? GetReservationAsync(sessionId, code, cancellationToken)
            : Task.FromResult<(Reservation, ETag)?>(null);
        await Task.WhenAll(counterRead, reservationRead);
        if (await counterRead is not { } snapshot)
        {
            return null;
        }

        var reservations = new List<Reservation>();
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        if (await reservationRead is var (reservation, etag))
        {
            reservations.Add(reservation);
            etags[reservation.Code] = etag;
        }

        if (load.AllReservations)
        {
            await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.ReservationPrefix, cancellationToken))
            {
                var r = SessionEntities.ToReservation(row);
                reservations.Add(r);
                etags[r.Code] = row.ETag;
            }
        }

        List<WaitlistTicket>? line = null;
        if (load.Waitlist)
        {
            line = [];
            if (snapshot.State.WaitlistParties > 0)
            {
                await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.WaitlistPrefix, cancellationToken))
                {
                    line.Add(SessionEntities.ToTicket(row));
                }
            }
        }

        var markers = new List<string>();
        if (load.PhoneHash is { } hash && snapshot.PhoneMarkerCode is not null)
        {
            markers.Add(hash);
        }

        if (load.AllPhoneMarkers)
        {
            await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, cancellationToken))
            {
                markers.Add(SessionEntities.PhoneHashOf(row));
            }
        }

        return new LoadedSession(new Session(snapshot.State, reservations, line, markers), snapshot.ETag, etags);
    }

    /// <summary>
    /// Writes the session's steps: whole steps only, as many per transaction as fit, each
    /// transaction with the counter of its last step and guarded by the counter's ETag. Returns the
    /// counter as written, with its new ETag when storage returned it (null otherwise). A refused transaction throws
    /// <see cref="SessionConflictException"/> (saying how many steps earlier transactions wrote).
    /// </summary>
    public async Task<SessionSnapshot?> SaveAsync(LoadedSession loaded, CancellationToken cancellationToken)
    {
        var session = loaded.Session;
        // Before any transaction, never after: an outbox row the index does not name would never be swept.
        await _outboxIndex.CoverAsync(session.SessionId, session.Steps, cancellationToken);
        ETag? etag = loaded.CounterETag;
        var committed = 0;
        foreach (var transaction in SessionTransactions.Pack(session.Steps))
        {
            // A change split over transactions: the next one is guarded by the counter this change wrote.
            etag ??= await CurrentETagAsync(session.Steps[transaction.Start - 1].After, committed, cancellationToken);
            var changeId = Guid.NewGuid().ToString("N");
            var actions = SessionTransactions.Actions(session.SessionId, session.Steps, transaction, etag.Value, loaded.ReservationETags, changeId);
            Response<IReadOnlyList<Response>>? response;
            try
            {
                response = await _sessions.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (Exception e) when (e is TableTransactionFailedException { Status: 412 or 409 or 404 } || StorageFailure.IsTransient(e, cancellationToken))
            {
                // The transaction may have committed and its reply been lost: the SDK's retry of it
                // then meets our own write (412 on the counter, 409 on a row we added), or the call
                // times out. This transaction's own rows say which; a failed read-back leaves the
                // outcome unknown and its exception goes up.
                if (await WasCommittedAsync(actions, changeId, cancellationToken))
                {
                    logger?.LogWarning("A transaction of {SessionId} committed and its reply was lost ({Reason}); answered as committed",
                        session.SessionId, e is RequestFailedException { Status: var status and > 0 } ? $"HTTP {status}" : e.GetType().Name);
                    response = null;
                }
                else if (e is TableTransactionFailedException { Status: 412 or 409 or 404 } refused)
                {
                    var (step, failed) = SessionTransactions.Locate(session.Steps, transaction, refused.FailedTransactionActionIndex);
                    var kind = refused.Status switch { 412 => SessionConflictKind.Changed, 409 => SessionConflictKind.RowExists, _ => SessionConflictKind.RowMissing };
                    throw new SessionConflictException(session.SessionId, kind, step, failed, committed, refused);
                }
                else
                {
                    throw;
                }
            }

            committed += transaction.Count;
            loaded.Committed(OutboxRows.Of(session.SessionId, session.Steps, transaction, changeId));
            etag = response?.Value is { Count: > 0 } results ? results[0].Headers.ETag : null;
        }

        return etag is { } written ? new SessionSnapshot(session.State, written, null) : null;
    }

    /// <summary>
    /// Whether a transaction whose answer was lost or refused is in storage after all: one of its
    /// rows, read back, carries its change id. The probe is the row least likely to be written by
    /// anyone else since: its outbox row (keyed by the change id itself), else a phone marker it
    /// added, else any row it added or updated, else the counter.
    /// </summary>
    private async Task<bool> WasCommittedAsync(IReadOnlyList<TableTransactionAction> actions, string changeId, CancellationToken cancellationToken)
    {
        var probe = actions.Skip(1).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add && a.Entity.RowKey == SessionRows.Outbox(changeId))
            ?? actions.Skip(1).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add && IsMarker(a.Entity.RowKey))
            ?? actions.Skip(1).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add)
            ?? actions.Skip(1).FirstOrDefault(a => a.ActionType != TableTransactionActionType.Delete)
            ?? actions[0];
        var row = await _sessions.GetEntityIfExistsAsync<TableEntity>(probe.Entity.PartitionKey, probe.Entity.RowKey, [ChangeIdColumn], cancellationToken);
        return row.HasValue && row.Value!.GetString(ChangeIdColumn) == changeId;
    }

    private static bool IsMarker(string rowKey) => rowKey.StartsWith(SessionRows.PhoneMarkerPrefix, StringComparison.Ordinal);

    /// <summary>When storage did not return the counter's new ETag: read it, and make sure it is still our write.</summary>
    private async Task<ETag> CurrentETagAsync(SessionState written, int committed, CancellationToken cancellationToken)
    {
        var current = await ReadCounterAsync(written.SessionId, cancellationToken);
        if (current is null || current.State != written)
        {
            throw new SessionConflictException(written.SessionId, SessionConflictKind.Changed, null, null, committed,
                new InvalidOperationException("The counter changed between two transactions of one change."));
        }

        return current.ETag;
    }

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
                found.Add(SessionEntities.PhoneHashOf(entity));
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
