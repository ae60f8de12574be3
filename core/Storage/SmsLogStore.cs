using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The SmsLog table: PK messageId, RK "" for the message; PK "sid-{TwilioSid}", RK "" maps a Twilio
/// SID back to its message for the status callback (and parks a status that came before the SID
/// was recorded on the message). Index rows make the staff look-ups cost what they return: PK
/// "status-{status}" and PK "code-{reservationCode}", RK messageId. The message row is the truth; an
/// index row is written before the message row it points to and a stale one dropped after, so an index
/// partition holds every message of its status or code (and perhaps a few that moved on, which the
/// reader leaves out by reading the message rows).
/// </summary>
public sealed class SmsLogStore(StorageTables tables)
{
    public const string SidPrefix = "sid-";
    public const string StatusPrefix = "status-";
    public const string CodePrefix = "code-";

    /// <summary>Message rows read at once when a list is checked against them.</summary>
    public const int ParallelReads = 16;

    private const string Row = "";
    private readonly TableClient _table = tables.SmsLog;

    public async Task<SmsLogEntry?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        if (messageId.StartsWith(SidPrefix, StringComparison.Ordinal) || messageId.StartsWith(StatusPrefix, StringComparison.Ordinal)
            || messageId.StartsWith(CodePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(messageId, Row, cancellationToken: cancellationToken);
        return response.HasValue ? ToEntry(response.Value!) : null;
    }

    /// <summary>
    /// Adds a new row (ETag empty) or replaces the row read with that ETag; null when someone else
    /// got there first. Each write carries a fresh <see cref="SmsLogEntry.WriteId"/>: when a write
    /// commits and its reply is lost, the SDK's retry meets our own row (409 on an insert, 412 on an
    /// update), so a conflict is answered by reading the row back, and it is ours if it holds our id.
    /// </summary>
    public async Task<SmsLogEntry?> TryWriteAsync(SmsLogEntry entry, CancellationToken cancellationToken)
    {
        var mine = entry with { WriteId = NewWriteId() };
        var left = await IndexAsync(mine, cancellationToken);
        SmsLogEntry? written;
        try
        {
            var response = entry.ETag == default
                ? await _table.AddEntityAsync(ToEntity(mine), cancellationToken)
                : await _table.UpdateEntityAsync(ToEntity(mine), entry.ETag, TableUpdateMode.Replace, cancellationToken);
            written = mine with { ETag = response.Headers.ETag ?? default, StoredStatus = mine.Status };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            var stored = await GetAsync(entry.MessageId, cancellationToken);
            written = stored is not null && stored.WriteId == mine.WriteId ? stored : null;
        }

        if (written is not null)
        {
            await DropAsync(left, cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Read, decide, write guarded by the ETag, until the write lands or <paramref name="change"/>
    /// says there is nothing to do (returns null). Starts from <paramref name="read"/> when the caller
    /// holds a row it read (or wrote) itself, else reads first. A conflict means the row changed, by
    /// someone else or by our own write whose reply was lost; either way the change is decided again
    /// on the row as it now is, so <paramref name="change"/> must depend on the row alone.
    /// </summary>
    /// <returns>The row as it stands afterwards (null if there is none), and whether this call wrote it.</returns>
    public async Task<(SmsLogEntry? Entry, bool Changed)> UpdateAsync(
        string messageId, Func<SmsLogEntry?, SmsLogEntry?> change, CancellationToken cancellationToken, SmsLogEntry? read = null)
    {
        var current = read ?? await GetAsync(messageId, cancellationToken);
        while (true)
        {
            if (change(current) is not { } next)
            {
                return (current, false);
            }

            if (await TryWriteAsync(next with { ETag = current?.ETag ?? default }, cancellationToken) is { } written)
            {
                return (written, true);
            }

            current = await GetAsync(messageId, cancellationToken);
        }
    }

    /// <summary>Writes the row whatever its ETag (the writer holds the sending lease).</summary>
    public async Task<SmsLogEntry> SaveAsync(SmsLogEntry entry, CancellationToken cancellationToken)
    {
        var saved = entry with { WriteId = NewWriteId() };
        var left = await IndexAsync(saved, cancellationToken);
        var response = await _table.UpsertEntityAsync(ToEntity(saved), TableUpdateMode.Replace, cancellationToken);
        await DropAsync(left, cancellationToken);
        return saved with { ETag = response.Headers.ETag ?? default, StoredStatus = saved.Status };
    }

    /// <summary>
    /// Before a message row is written: the index rows of its new status and of its code (both
    /// idempotent upserts). Returns the index row of the status it leaves, as read now: dropped once the
    /// write has landed, and only if nobody has written it again meanwhile (its ETag).
    /// </summary>
    private async Task<TableEntity?> IndexAsync(SmsLogEntry next, CancellationToken cancellationToken)
    {
        var moving = next.StoredStatus is { } old && old != next.Status;
        var left = moving ? await ReadLeftAsync(StatusPrefix + next.StoredStatus, next.MessageId, cancellationToken) : null;
        var writes = new List<Task>();
        if (moving || next.StoredStatus is null)
        {
            writes.Add(UpsertIndexAsync(IndexRow(StatusPrefix + next.Status, next), cancellationToken));
        }

        if (next.StoredStatus is null)
        {
            writes.Add(UpsertIndexAsync(IndexRow(CodePrefix + next.ReservationCode, next), cancellationToken));
        }

        await Task.WhenAll(writes);
        return left;
    }

    /// <summary>
    /// An index row is an idempotent upsert, so it is tried a few times more on a transient failure:
    /// the SMS it indexes must not fail its delivery attempt for the staff list's sake.
    /// </summary>
    private async Task UpsertIndexAsync(TableEntity row, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < IndexAttempts && StorageFailure.IsTransient(e, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    private const int IndexAttempts = 4;

    /// <summary>The index row a write will leave; a failed read only leaves a stale row behind (its reader checks it), so it does not fail the write.</summary>
    private async Task<TableEntity?> ReadLeftAsync(string partition, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, messageId, ["PartitionKey", "RowKey"], cancellationToken);
            return row.HasValue ? row.Value : null;
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            return null;
        }
    }

    private static TableEntity IndexRow(string partition, SmsLogEntry entry) => new(partition, entry.MessageId);

    /// <summary>
    /// The index row of a status the message has left. One written again since (412) may be a writer's
    /// on its way to that status: left. A failure is left too: a stale index row only costs its reader a look.
    /// </summary>
    private async Task DropAsync(TableEntity? left, CancellationToken cancellationToken)
    {
        if (left is null)
        {
            return;
        }

        try
        {
            await _table.DeleteEntityAsync(left.PartitionKey, left.RowKey, left.ETag, cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
        }
    }

    /// <summary>Which message a SID is (merged: a status a callback parked on the row stays).</summary>
    public async Task MapSidAsync(string sid, string messageId, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(new TableEntity(SidPrefix + sid, Row) { ["MessageId"] = messageId },
            TableUpdateMode.Merge, cancellationToken);

    public async Task<SidRecord?> GetSidAsync(string sid, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(SidPrefix + sid, Row, cancellationToken: cancellationToken);
        return row.HasValue
            ? new SidRecord(sid, row.Value!.GetString("MessageId"), row.Value.GetString("Status"), row.Value.GetString("ErrorCode"), row.Value.ETag)
            : null;
    }

    /// <summary>
    /// Keeps a status callback's status on the SID's row (created if the sender has not mapped the
    /// SID yet), moving forward only. A conflict, someone else's write or our own whose reply was
    /// lost, is decided again on the row as it now is.
    /// </summary>
    public async Task ParkStatusAsync(string sid, string status, string? errorCode, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await GetSidAsync(sid, cancellationToken);
            if (current is not null && SmsStatus.Rank(current.Status) >= SmsStatus.Rank(status))
            {
                return;
            }

            var row = new TableEntity(SidPrefix + sid, Row) { ["Status"] = status, ["ErrorCode"] = errorCode };
            try
            {
                _ = current is null
                    ? await _table.AddEntityAsync(row, cancellationToken)
                    : await _table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
            }
        }
    }

    public async Task<SmsLogEntry?> FindBySidAsync(string sid, CancellationToken cancellationToken)
    {
        var map = await _table.GetEntityIfExistsAsync<TableEntity>(SidPrefix + sid, Row, cancellationToken: cancellationToken);
        return map.HasValue && map.Value!.GetString("MessageId") is { } messageId
            ? await GetAsync(messageId, cancellationToken)
            : null;
    }

    /// <summary>
    /// Messages filtered by status and/or reservation code: through the code's index partition (a few
    /// messages) or the status's, each hit checked against its message row; what it costs follows what
    /// it returns. With neither filter: every message (a scan, and so is its answer).
    /// </summary>
    public async Task<IReadOnlyList<SmsLogEntry>> ListAsync(string? status, string? reservationCode, CancellationToken cancellationToken)
    {
        if (status is null && reservationCode is null)
        {
            return await ListAllAsync(cancellationToken);
        }

        var partition = reservationCode is not null ? CodePrefix + reservationCode : StatusPrefix + status;
        var ids = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        var entries = new SmsLogEntry?[ids.Count];
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => entries[i] = await GetAsync(ids[i], token));
        return entries.OfType<SmsLogEntry>()
            .Where(e => (status is null || e.Status == status) && (reservationCode is null || e.ReservationCode == reservationCode))
            .ToList();
    }

    /// <summary>
    /// Erasure: the messages of a reservation (through its code's index partition) keep their kind,
    /// status and attempts and lose their recipient (even masked, it is part of a phone number next
    /// to a code). Returns how many message rows it changed; safe to repeat.
    /// </summary>
    public async Task<int> ForgetRecipientsAsync(string reservationCode, CancellationToken cancellationToken)
    {
        var changed = 0;
        var ids = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {CodePrefix + reservationCode}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        foreach (var id in ids)
        {
            var (_, wrote) = await UpdateAsync(id, e => e is null || e.To.Length == 0 ? null : e with { To = "" }, cancellationToken);
            changed += wrote ? 1 : 0;
        }

        return changed;
    }

    /// <summary>Every message: a cross-partition scan (index and SID rows left out).</summary>
    private async Task<IReadOnlyList<SmsLogEntry>> ListAllAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Row} and Kind ne {""}");
        var list = new List<SmsLogEntry>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!entity.PartitionKey.StartsWith(SidPrefix, StringComparison.Ordinal))
            {
                list.Add(ToEntry(entity));
            }
        }

        return list;
    }

    public static TableEntity ToEntity(SmsLogEntry e) => new(e.MessageId, Row)
    {
        ["ReservationCode"] = e.ReservationCode,
        ["SessionId"] = e.SessionId,
        ["Kind"] = e.Kind,
        ["Language"] = e.Language,
        ["To"] = e.To,
        ["Status"] = e.Status,
        ["Attempts"] = e.Attempts,
        ["LastError"] = e.LastError,
        ["TwilioSid"] = e.TwilioSid,
        ["CreatedAt"] = e.CreatedAt,
        ["UpdatedAt"] = e.UpdatedAt,
        ["SendingUntil"] = e.SendingUntil,
        ["UnconfirmedSince"] = e.UnconfirmedSince,
        ["WriteId"] = e.WriteId,
    };

    public static SmsLogEntry ToEntry(TableEntity e) => new()
    {
        MessageId = e.PartitionKey,
        ReservationCode = e.GetString("ReservationCode") ?? "",
        SessionId = e.GetString("SessionId") ?? "",
        Kind = e.GetString("Kind") ?? "",
        Language = e.GetString("Language") ?? "ko",
        To = e.GetString("To") ?? "",
        Status = e.GetString("Status") ?? SmsStatus.Pending,
        Attempts = e.GetInt32("Attempts") ?? 0,
        LastError = e.GetString("LastError"),
        TwilioSid = e.GetString("TwilioSid"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch,
        SendingUntil = e.GetDateTimeOffset("SendingUntil"),
        UnconfirmedSince = e.GetDateTimeOffset("UnconfirmedSince"),
        WriteId = e.GetString("WriteId"),
        ETag = e.ETag,
        StoredStatus = e.GetString("Status") ?? SmsStatus.Pending,
    };

    /// <summary>The SID's row: its message once the sender mapped it, and a status parked by a callback.</summary>
    public sealed record SidRecord(string Sid, string? MessageId, string? Status, string? ErrorCode, ETag ETag);

    private static string NewWriteId() => Guid.NewGuid().ToString("N");
}
