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
    private readonly TableClient _codes = tables.Codes;
    private readonly OutboxIndex _outboxIndex = new(tables);
    private readonly SessionsByEnd _byEnd = new(tables);

    /// <summary>The counter and what <paramref name="load"/> asks for; null when the session has no counter.</summary>
    public async Task<LoadedSession?> LoadAsync(string sessionId, SessionLoad load, CancellationToken cancellationToken)
    {
        var counterRead = load.PhoneHash is { } phoneHash
            ? ReadAsync(sessionId, phoneHash, cancellationToken)
            : ReadCounterAsync(sessionId, cancellationToken);
        var reservationRead = load.ReservationCode is { } code && !load.AllReservations
            ? FindReservationRowAsync(sessionId, code, null, cancellationToken)
            : Task.FromResult<TableEntity?>(null);
        await Task.WhenAll(counterRead, reservationRead);
        if (await counterRead is not { } snapshot)
        {
            return null;
        }

        var reservations = new List<Reservation>();
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        void Keep(TableEntity row)
        {
            var r = SessionEntities.ToReservation(row);
            reservations.Add(r);
            etags[r.Code] = row.ETag;
            rows[r.Code] = row.RowKey;
        }

        if (await reservationRead is { } found)
        {
            Keep(found);
        }

        if (load.AllReservations)
        {
            await foreach (var row in ReservationRowsAsync(sessionId, cancellationToken))
            {
                Keep(row);
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
                    var ticket = SessionEntities.ToTicket(row);
                    line.Add(ticket);
                    rows.TryAdd(ticket.Code, SessionEntities.ReservationRowOf(row));
                }
            }
        }

        List<AllotmentRow>? allotments = null;
        if (load.Allotments)
        {
            allotments = snapshot.State.Allotments > 0 ? await ReadAllotmentsAsync(sessionId, cancellationToken) : [];
        }

        var markers = new List<string>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        if (load.PhoneHash is { } hash && snapshot.PhoneMarkerCode is not null)
        {
            markers.Add(hash);
        }

        if (load.AllPhoneMarkers)
        {
            await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, cancellationToken))
            {
                markers.Add(SessionEntities.PhoneHashOf(row));
                if (row.GetString("Code") is { } owner)
                {
                    owners[owner] = SessionEntities.PhoneHashOf(row);
                }
            }
        }

        return new LoadedSession(
            new Session(snapshot.State, reservations, line, markers, allotments?.Select(a => a.Allotment), owners),
            new SessionVersions(snapshot.ETag, etags, (allotments ?? []).ToDictionary(a => a.Allotment.Index, a => a.ETag)) { ReservationRows = rows });
    }

    /// <summary>
    /// Writes the session's steps: whole steps only, as many per transaction as fit, each
    /// transaction guarded by the ETags of its head rows (the counter, the allotments it changes).
    /// Returns the counter and allotments as written, with their new ETags when storage returned them
    /// (null otherwise). A refused transaction throws <see cref="SessionConflictException"/> (saying
    /// how many steps earlier transactions wrote).
    /// </summary>
    public async Task<SessionSnapshot?> SaveAsync(LoadedSession loaded, CancellationToken cancellationToken)
    {
        var session = loaded.Session;
        // Before any transaction, never after: an outbox row the index does not name would never be swept.
        await _outboxIndex.CoverAsync(session.SessionId, session.Steps, cancellationToken);

        // A session whose end moves is entered under its new day before the counter says so (erasure goes by the index).
        if (session.State.End != session.Loaded.End)
        {
            await _byEnd.CoverAsync(session.State, cancellationToken);
        }

        ETag? counterETag = loaded.Versions.Counter;
        var allotmentETags = new Dictionary<int, ETag>(loaded.Versions.Allotments);
        var known = true;
        var committed = 0;
        foreach (var transaction in SessionTransactions.Pack(session.Steps, loaded.Versions.ReservationRows))
        {
            var heads = SessionTransactions.Heads(session.Steps, transaction);

            // A change split over transactions: the next one is guarded by the counter this change wrote.
            if (heads.Any(h => h.Allotment is null))
            {
                counterETag ??= await CurrentETagAsync(session.Steps[transaction.Start - 1].After, committed, cancellationToken);
            }

            var changeId = Guid.NewGuid().ToString("N");
            var versions = loaded.Versions with { Counter = counterETag ?? ETag.All, Allotments = allotmentETags };
            var actions = SessionTransactions.Actions(session.SessionId, session.Steps, transaction, versions, changeId);
            var submitted = new List<TableTransactionAction>(actions);
            var dropped = new List<int>();
            int? Original(int? index) => index is { } i && i < submitted.Count
                ? Enumerable.Range(0, actions.Count).Except(dropped).ElementAt(i)
                : index;
            Response<IReadOnlyList<Response>>? response;
            while (true)
            {
                try
                {
                    response = await _sessions.SubmitTransactionAsync(submitted, cancellationToken);
                    break;
                }
                catch (Exception e) when (e is TableTransactionFailedException { Status: 412 or 409 or 404 } || StorageFailure.IsTransient(e, cancellationToken))
                {
                    // The transaction may have committed and its reply been lost: the SDK's retry of it
                    // then meets our own write (412 on the counter, 409 on a row we added), or the call
                    // times out. This transaction's own rows say which; a failed read-back leaves the
                    // outcome unknown and its exception goes up.
                    if (await WasCommittedAsync(actions, heads.Count, changeId, cancellationToken))
                    {
                        logger?.LogWarning("A transaction of {SessionId} committed and its reply was lost ({Reason}); answered as committed",
                            session.SessionId, e is RequestFailedException { Status: var status and > 0 } ? $"HTTP {status}" : e.GetType().Name);
                        response = null;
                        break;
                    }

                    if (e is TableTransactionFailedException { Status: 404, FailedTransactionActionIndex: { } gone } && gone >= heads.Count
                        && gone < submitted.Count && submitted[gone].ActionType == TableTransactionActionType.Delete)
                    {
                        // A row this change deletes is not there (a phone marker or ticket already gone):
                        // deciding again would delete it again and meet the same 404 until the change gave
                        // up as contended. Its work is done; the rest goes again, guarded as before.
                        dropped.Add(Original(gone)!.Value);
                        submitted.RemoveAt(gone);
                        logger?.LogWarning("A transaction of {SessionId} deleted a row that was gone; written without that delete", session.SessionId);
                        continue;
                    }

                    if (e is TableTransactionFailedException { Status: 412 or 409 or 404 } refused)
                    {
                        var failedAt = Original(refused.FailedTransactionActionIndex);
                        var (step, failed) = SessionTransactions.Locate(session.Steps, transaction, failedAt);

                        // A head row (counter or allotment) refused: someone else wrote it first.
                        var onHead = failedAt is { } index && index < heads.Count;
                        var kind = refused.Status == 412 || onHead ? SessionConflictKind.Changed
                            : refused.Status == 409 ? SessionConflictKind.RowExists : SessionConflictKind.RowMissing;
                        throw new SessionConflictException(session.SessionId, kind, step, failed, committed, refused);
                    }

                    throw;
                }
            }

            committed += transaction.Count;
            loaded.Committed(OutboxRows.Of(session.SessionId, session.Steps, transaction, changeId));
            for (var i = 0; i < heads.Count; i++)
            {
                ETag? written = response?.Value is { } results && results.Count > i ? results[i].Headers.ETag : null;
                known &= written is not null;
                if (heads[i].Allotment is { } allotment)
                {
                    allotmentETags[allotment.Index] = written ?? ETag.All;
                }
                else
                {
                    counterETag = written;
                }
            }
        }

        if (!known || counterETag is not { } counter)
        {
            return null;
        }

        return new SessionSnapshot(session.State, counter, null)
        {
            Allotments = session.Allotments.Select(a => new AllotmentRow(a, allotmentETags[a.Index])).ToList(),
        };
    }

    /// <summary>
    /// Whether a transaction whose answer was lost or refused is in storage after all: one of its
    /// rows, read back, carries its change id. The probe is the row least likely to be written by
    /// anyone else since: its outbox row (keyed by the change id itself), else a phone marker it
    /// added, else any row it added or updated, else the counter.
    /// </summary>
    private async Task<bool> WasCommittedAsync(IReadOnlyList<TableTransactionAction> actions, int heads, string changeId, CancellationToken cancellationToken)
    {
        var probe = actions.Skip(heads).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add && a.Entity.RowKey == SessionRows.Outbox(changeId))
            ?? actions.Skip(heads).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add && IsMarker(a.Entity.RowKey))
            ?? actions.Skip(heads).FirstOrDefault(a => a.ActionType == TableTransactionActionType.Add)
            ?? actions.Skip(heads).FirstOrDefault(a => a.ActionType != TableTransactionActionType.Delete)
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

    /// <summary>The session's allotment rows, in index order (one range query).</summary>
    public async Task<List<AllotmentRow>> ReadAllotmentsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var rows = new List<AllotmentRow>();
        await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.AllotmentPrefix, cancellationToken))
        {
            rows.Add(new AllotmentRow(SessionEntities.ToAllotment(row), row.ETag));
        }

        return rows;
    }

    /// <summary>
    /// The counter with its allotments, read together: the two reads go out at once, and are taken
    /// only when they agree (the allotments hold exactly the counter's escrow); reads that straddled
    /// a transaction moving seats between them are made again.
    /// </summary>
    public async Task<SessionSnapshot?> ReadWithAllotmentsAsync(string sessionId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var counterRead = ReadCounterAsync(sessionId, cancellationToken);
            var allotmentRead = ReadAllotmentsAsync(sessionId, cancellationToken);
            await Task.WhenAll(counterRead, allotmentRead);
            if (await counterRead is not { } snapshot)
            {
                return null;
            }

            var allotments = await allotmentRead;
            if (allotments.Sum(a => a.Allotment.Held) == snapshot.State.Escrow || attempt >= 5)
            {
                return snapshot with { Allotments = allotments };
            }
        }
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

    /// <summary>The session as visitors and staff see it: counter and allotments together (<see cref="SessionSnapshot.Settled"/>).</summary>
    public async Task<SessionState?> GetStateAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (await ReadCounterAsync(sessionId, cancellationToken) is not { } snapshot)
        {
            return null;
        }

        return snapshot.State.Allotments == 0 ? snapshot.State : (await ReadWithAllotmentsAsync(sessionId, cancellationToken))?.Settled;
    }

    /// <summary>
    /// A reservation by its code. An active reservation lives in its phone's row (p-{hash}); the
    /// code's row in the Codes table names that phone (<paramref name="phoneHash"/> when the caller
    /// knows it already), and the row is checked to hold this code. A cancelled or erased one, or
    /// one written before rows were keyed by phone, lives under its code (r-{code}).
    /// </summary>
    public async Task<(Reservation Reservation, ETag ETag)?> GetReservationAsync(
        string sessionId, string code, CancellationToken cancellationToken, string? phoneHash = null) =>
        await FindReservationRowAsync(sessionId, code, phoneHash, cancellationToken) is { } row
            ? (SessionEntities.ToReservation(row), row.ETag)
            : null;

    private async Task<TableEntity?> FindReservationRowAsync(string sessionId, string code, string? phoneHash, CancellationToken cancellationToken)
    {
        var byCode = _sessions.GetEntityIfExistsAsync<TableEntity>(sessionId, SessionRows.Reservation(code), cancellationToken: cancellationToken);
        var holder = phoneHash is null ? CodeHolderAsync(code, cancellationToken) : Task.FromResult<(string? Session, string? Phone)>((sessionId, phoneHash));
        await Task.WhenAll(byCode, holder);
        var (holderSession, hash) = await holder;
        if (hash is not null && holderSession == sessionId)
        {
            var byPhone = await _sessions.GetEntityIfExistsAsync<TableEntity>(sessionId, SessionRows.PhoneMarker(hash), cancellationToken: cancellationToken);
            if (byPhone.HasValue && SessionEntities.IsReservation(byPhone.Value!) && byPhone.Value!.GetString("Code") == code)
            {
                return byPhone.Value;
            }
        }

        if ((await byCode).HasValue)
        {
            return (await byCode).Value;
        }

        if (hash is not null && holderSession == sessionId)
        {
            // A cancellation moves a reservation from its phone's row to its code's in one
            // transaction: a look-up whose code read came before the move and whose phone read came
            // after it saw neither (seen in CI: a confirmed SMS settled as "reservation not found").
            // Read the code's row again, after the phone's.
            var again = await _sessions.GetEntityIfExistsAsync<TableEntity>(sessionId, SessionRows.Reservation(code), cancellationToken: cancellationToken);
            return again.HasValue ? again.Value : null;
        }

        if (phoneHash is not null || hash is not null || holderSession != sessionId)
        {
            return null;
        }

        // The code is this session's but its holder was never recorded (the instance stopped right
        // after the commit): look for it among the phones' rows.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {sessionId} and RowKey ge {SessionRows.PhoneMarkerPrefix} and RowKey lt {SessionRows.PrefixEnd(SessionRows.PhoneMarkerPrefix)} and Code eq {code}");
        await foreach (var row in _sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (SessionEntities.IsReservation(row))
            {
                return row;
            }
        }

        return null;
    }

    private async Task<(string? Session, string? Phone)> CodeHolderAsync(string code, CancellationToken cancellationToken)
    {
        if (!ReservationCode.TryParse(code, out var parsed))
        {
            return (null, null);
        }

        var row = await _codes.GetEntityIfExistsAsync<TableEntity>(parsed.Shelf, parsed.Value, ["SessionId", CodeDirectory.PhoneHashColumn], cancellationToken);
        return row.HasValue ? (row.Value!.GetString("SessionId"), row.Value!.GetString(CodeDirectory.PhoneHashColumn)) : (null, null);
    }

    /// <summary>Every reservation row of a session: those under a code, and those in their phone's row.</summary>
    public async IAsyncEnumerable<TableEntity> ReservationRowsAsync(
        string sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.ReservationPrefix, cancellationToken))
        {
            yield return row;
        }

        await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, cancellationToken))
        {
            if (SessionEntities.IsReservation(row))
            {
                yield return row;
            }
        }
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
        await foreach (var entity in ReservationRowsAsync(sessionId, cancellationToken))
        {
            list.Add(SessionEntities.ToReservation(entity));
        }

        return list.OrderBy(r => r.CreatedAt).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Erasure: the codes of every reservation of the session and the hashes of the phones its rows
    /// still hold (in a reservation's phone column, or as a phone row's key), read before anything is erased.
    /// </summary>
    public async Task<(IReadOnlyList<string> Codes, IReadOnlyList<string> PhoneHashes)> PersonalDataOfAsync(
        string sessionId, Func<string, string> hashPhone, CancellationToken cancellationToken)
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        var hashes = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in ReservationRowsAsync(sessionId, cancellationToken))
        {
            var reservation = SessionEntities.ToReservation(row);
            codes.Add(reservation.Code);
            if (reservation.Phone.Length > 0)
            {
                hashes.Add(hashPhone(reservation.Phone));
            }
        }

        await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.PhoneMarkerPrefix, cancellationToken))
        {
            hashes.Add(SessionEntities.PhoneHashOf(row));
        }

        return ([.. codes], [.. hashes]);
    }

    /// <summary>
    /// Erasure: deletes the outbox rows a session still holds long after it ended (the SMS they owe
    /// are of no use any more). Returns how many.
    /// </summary>
    public async Task<int> DeleteOutboxRowsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var row in QueryPrefixAsync(sessionId, SessionRows.OutboxPrefix, cancellationToken))
        {
            try
            {
                await _sessions.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The sweep took it meanwhile.
            }
        }

        return deleted;
    }

    /// <summary>
    /// Creates the counter of a new session; an existing one (with its seats) is left alone. The
    /// session is entered in SessionsByEnd first, so that no partition exists that erasure cannot find.
    /// </summary>
    public async Task<bool> TryCreateAsync(SessionState state, CancellationToken cancellationToken)
    {
        await _byEnd.CoverAsync(state, cancellationToken);
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
