using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace FestivalReservations.Core.Storage;

/// <summary>What a request holding an Idempotency-Key should do.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>
    /// The key is this request's: go ahead, then Complete (or Abandon when nothing can have been done).
    /// <paramref name="Unresolved"/>: an earlier request with this key and this body ended without a
    /// known outcome (storage failed mid-way, or the request died), so its work may stand: find out
    /// what stands before doing anything.
    /// </summary>
    public sealed record Claimed(string KeyHash, ETag ETag, string AttemptId, bool Unresolved = false) : IdempotencyClaim;

    /// <summary>The key was used with this request before: answer the stored response.</summary>
    public sealed record Replay(string Response) : IdempotencyClaim;

    /// <summary>The key was used with a different request.</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>The first request with this key is still running.</summary>
    public sealed record InProgress : IdempotencyClaim;
}

/// <summary>
/// Remembers the first response to each Idempotency-Key for 24 hours. The key is claimed before the
/// work starts, so two copies of one request racing (a double tap) cannot both do it. Each claim
/// carries its attempt's id, so an insert or update retried after a lost reply recognises its own
/// row instead of taking it for someone else's.
/// </summary>
public sealed class IdempotencyStore(StorageTables tables, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(30);
    private const string Pending = "pending";
    private const string Unknown = "unknown";
    private const string Done = "done";
    private readonly TableClient _table = tables.Idempotency;

    public static string HashKey(string scope, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + key)));

    public static string Fingerprint(string canonicalRequest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    public async Task<IdempotencyClaim> ClaimAsync(string keyHash, string fingerprint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempt = Guid.NewGuid().ToString("N");
        var row = new TableEntity(keyHash, "") { ["Fingerprint"] = fingerprint, ["State"] = Pending, ["CreatedAt"] = now, ["AttemptId"] = attempt };
        try
        {
            var added = await _table.AddEntityAsync(row, cancellationToken);
            return new IdempotencyClaim.Claimed(keyHash, added.Headers.ETag ?? ETag.All, attempt);
        }
        catch (Exception e) when (e is RequestFailedException { Status: 409 } || StorageFailure.IsTransient(e, cancellationToken))
        {
            // 409 is someone's claim, or ours whose reply was lost; after a timeout the row says too.
            var found = await ReadAsync(keyHash, cancellationToken);
            if (found is not null && found.GetString("AttemptId") == attempt)
            {
                return new IdempotencyClaim.Claimed(keyHash, found.ETag, attempt);
            }

            if (e is not RequestFailedException { Status: 409 })
            {
                throw;
            }

            if (found is null)
            {
                return await ClaimAsync(keyHash, fingerprint, cancellationToken);
            }

            return await DecideAsync(found, row, attempt, fingerprint, now, cancellationToken);
        }
    }

    private async Task<IdempotencyClaim> DecideAsync(
        TableEntity stored, TableEntity row, string attempt, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = stored.GetDateTimeOffset("CreatedAt") ?? now;
        var sameRequest = stored.GetString("Fingerprint") == fingerprint;
        var state = stored.GetString("State");
        if (now - created > KeptFor)
        {
            return await TakeOverAsync(stored, row, attempt, cancellationToken) is { } fresh ? fresh : new IdempotencyClaim.InProgress();
        }

        if (!sameRequest)
        {
            return new IdempotencyClaim.Mismatch();
        }

        if (state == Done)
        {
            return new IdempotencyClaim.Replay(stored.GetString("Response"));
        }

        // An earlier attempt that ended unknown, or one still pending long after any request could
        // have finished (it died before it could say): this request takes the key and resolves it.
        if (state == Unknown || now - created > PendingTimeout)
        {
            return await TakeOverAsync(stored, row, attempt, cancellationToken) is { } taken
                ? taken with { Unresolved = true }
                : new IdempotencyClaim.InProgress();
        }

        return new IdempotencyClaim.InProgress();
    }

    /// <summary>Stores the answer, guarded by the claim; false when it could not (storage down, or the key was taken over).</summary>
    public async Task<bool> CompleteAsync(IdempotencyClaim.Claimed claim, string response, CancellationToken cancellationToken)
    {
        var row = new TableEntity(claim.KeyHash, "") { ["State"] = Done, ["Response"] = response, ["AttemptId"] = claim.AttemptId };
        try
        {
            await _table.UpdateEntityAsync(row, claim.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException { Status: 412 } || StorageFailure.IsTransient(e, cancellationToken))
        {
            // 412 after a lost reply: our own completion, if the row says done by this attempt.
            return await TryReadAsync(claim.KeyHash, cancellationToken) is { } stored
                && stored.GetString("AttemptId") == claim.AttemptId && stored.GetString("State") == Done;
        }
    }

    /// <summary>
    /// The work ended without a known outcome (its commit may stand): the key is left for the next
    /// request with it to resolve. Best effort: should this write fail too, the claim is resolved once
    /// it has been pending for <see cref="PendingTimeout"/>.
    /// </summary>
    public async Task MarkUnknownAsync(IdempotencyClaim.Claimed claim, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(claim.KeyHash, "") { ["State"] = Unknown }, claim.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException || StorageFailure.IsTransient(e, cancellationToken))
        {
        }
    }

    /// <summary>Nothing can have been done (the work was refused before it wrote): let the key be used again.</summary>
    public async Task AbandonAsync(IdempotencyClaim.Claimed claim, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(claim.KeyHash, "", claim.ETag, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException || StorageFailure.IsTransient(e, cancellationToken))
        {
            // Left pending: the next request with the key resolves it after PendingTimeout.
        }
    }

    private async Task<IdempotencyClaim.Claimed?> TakeOverAsync(TableEntity stored, TableEntity row, string attempt, CancellationToken cancellationToken)
    {
        try
        {
            var replaced = await _table.UpdateEntityAsync(row, stored.ETag, TableUpdateMode.Replace, cancellationToken);
            return new IdempotencyClaim.Claimed(row.PartitionKey, replaced.Headers.ETag ?? ETag.All, attempt);
        }
        catch (Exception e) when (e is RequestFailedException { Status: 412 } || StorageFailure.IsTransient(e, cancellationToken))
        {
            return await TryReadAsync(row.PartitionKey, cancellationToken) is { } now && now.GetString("AttemptId") == attempt
                ? new IdempotencyClaim.Claimed(row.PartitionKey, now.ETag, attempt)
                : null;
        }
    }

    private async Task<TableEntity?> ReadAsync(string keyHash, CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(keyHash, "", cancellationToken: cancellationToken);
        return existing.HasValue ? existing.Value : null;
    }

    private async Task<TableEntity?> TryReadAsync(string keyHash, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(keyHash, cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>Deletes the stored first responses created before <paramref name="before"/> (retention); returns how many.</summary>
    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {before}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }
}
