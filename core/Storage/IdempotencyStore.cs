using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace FestivalReservations.Core.Storage;

/// <summary>What a request holding an Idempotency-Key should do.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>First use of the key: go ahead, then Complete (or Abandon on failure).</summary>
    public sealed record Claimed(string KeyHash, ETag ETag) : IdempotencyClaim;

    /// <summary>The key was used with this request before: answer the stored response.</summary>
    public sealed record Replay(string Response) : IdempotencyClaim;

    /// <summary>The key was used with a different request.</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>The first request with this key is still running.</summary>
    public sealed record InProgress : IdempotencyClaim;
}

/// <summary>
/// Remembers the first response to each Idempotency-Key for 24 hours. The key is claimed before the
/// work starts, so two copies of one request racing (a double tap) cannot both do it.
/// </summary>
public sealed class IdempotencyStore(StorageTables tables, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(30);
    private readonly TableClient _table = tables.Idempotency;

    public static string HashKey(string scope, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + key)));

    public static string Fingerprint(string canonicalRequest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    public async Task<IdempotencyClaim> ClaimAsync(string keyHash, string fingerprint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var row = new TableEntity(keyHash, "") { ["Fingerprint"] = fingerprint, ["State"] = "pending", ["CreatedAt"] = now };
        try
        {
            var added = await _table.AddEntityAsync(row, cancellationToken);
            return new IdempotencyClaim.Claimed(keyHash, added.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(keyHash, "", cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return await ClaimAsync(keyHash, fingerprint, cancellationToken);
        }

        var stored = existing.Value!;
        var created = stored.GetDateTimeOffset("CreatedAt") ?? now;
        var expired = now - created > KeptFor;
        // A claim still pending long after any request could have finished was left by a request
        // that died (storage went away before it could complete or abandon): take it over.
        var abandoned = stored.GetString("State") == "pending" && now - created > PendingTimeout
            && stored.GetString("Fingerprint") == fingerprint;
        if (expired || abandoned)
        {
            try
            {
                var replaced = await _table.UpdateEntityAsync(row, stored.ETag, TableUpdateMode.Replace, cancellationToken);
                return new IdempotencyClaim.Claimed(keyHash, replaced.Headers.ETag ?? ETag.All);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return new IdempotencyClaim.InProgress();
            }
        }

        if (stored.GetString("Fingerprint") != fingerprint)
        {
            return new IdempotencyClaim.Mismatch();
        }

        return stored.GetString("State") == "done"
            ? new IdempotencyClaim.Replay(stored.GetString("Response"))
            : new IdempotencyClaim.InProgress();
    }

    public async Task CompleteAsync(IdempotencyClaim.Claimed claim, string response, CancellationToken cancellationToken)
    {
        var row = new TableEntity(claim.KeyHash, "") { ["State"] = "done", ["Response"] = response };
        await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The work failed for a reason worth retrying (storage down): let the key be used again.</summary>
    public async Task AbandonAsync(IdempotencyClaim.Claimed claim, CancellationToken cancellationToken) =>
        await _table.DeleteEntityAsync(claim.KeyHash, "", claim.ETag, cancellationToken);

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
