using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The shared rows of <see cref="SharedAddressBudget"/>: one per client key, action and 15 s window,
/// holding how many tokens instances have taken (Granted). A claim creates the row or raises Granted
/// under its ETag; a 409 or 412 means another instance moved first, so it reads again. Granted never
/// passes the budget, so no token is granted twice. A claim whose reply was lost and is retried counts
/// its chunk again: that errs towards refusing, by one chunk.
/// Rows live in a table per UTC day (RateLimitsyyyyMMdd), keyed by an HMAC of the address, never the
/// address; a day's table is deleted whole two days on, when an instance first claims on a new day,
/// so keeping them costs one call a day, not a scan.
/// </summary>
public sealed class AddressBudgetLedger(StorageTables tables, IOptions<PrivacyOptions> privacy, ILogger<AddressBudgetLedger> logger)
    : IAddressBudgetLedger
{
    public const string TablePrefix = "RateLimits";
    public const int MaxAttempts = 8;
    private const string Granted = nameof(Granted);
    private readonly byte[] _hashKey = Encoding.UTF8.GetBytes("rate-limits\n" + privacy.Value.PhoneHashKey);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _tables = new();

    public static string TableName(DateTimeOffset windowStart) =>
        TablePrefix + windowStart.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The partition of a client key's rows: a keyed hash, so no address is stored.</summary>
    public string PartitionKeyOf(string clientKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(clientKey)).AsSpan(0, 16));

    public static string RowKeyOf(LimitedAction action, long windowIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{action}-{windowIndex}");

    public async Task<int?> ClaimAsync(BudgetClaim claim, CancellationToken cancellationToken)
    {
        var name = TableName(claim.WindowStart);
        var table = tables.Service.GetTableClient(name);
        var partition = PartitionKeyOf(claim.Key);
        var row = RowKeyOf(claim.Action, claim.WindowIndex);
        var seen = claim.RowSeen;
        await EnsureTableAsync(name, claim.WindowStart, cancellationToken);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                if (!seen)
                {
                    var first = AddressBudgetRule.Chunk(claim.Budget, 0);
                    await table.AddEntityAsync(new TableEntity(partition, row) { [Granted] = first }, cancellationToken);
                    return first;
                }

                var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, [Granted], cancellationToken);
                if (!current.HasValue || current.Value is null)
                {
                    seen = false;
                    continue;
                }

                var granted = current.Value.GetInt32(Granted) ?? 0;
                var take = AddressBudgetRule.Chunk(claim.Budget, granted);
                if (take == 0)
                {
                    return 0;
                }

                await table.UpdateEntityAsync(new TableEntity(partition, row) { [Granted] = granted + take }, current.Value.ETag,
                    TableUpdateMode.Merge, cancellationToken);
                return take;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                seen = true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                await Task.Delay(Random.Shared.Next(1, 5 + (attempt * 5)), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == TableErrorCode.TableNotFound)
            {
                // Deleted under us (a clock far ahead on another instance, or an operator): make it again.
                _tables.TryRemove(name, out _);
                await EnsureTableAsync(name, claim.WindowStart, cancellationToken);
            }
        }

        logger.LogWarning("Address budget of {Action} stayed contended after {Attempts} attempts", claim.Action, MaxAttempts);
        return null;
    }

    private async Task EnsureTableAsync(string name, DateTimeOffset day, CancellationToken cancellationToken)
    {
        var created = _tables.GetOrAdd(name, n => new Lazy<Task>(() => CreateAsync(n, day)));
        try
        {
            await created.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, created));
            throw;
        }
    }

    private async Task CreateAsync(string name, DateTimeOffset day)
    {
        await tables.Service.CreateTableIfNotExistsAsync(name, CancellationToken.None);
        var keepFrom = TableName(day.AddDays(-1));
        var filter = TableServiceClient.CreateQueryFilter($"TableName ge {TablePrefix} and TableName lt {keepFrom}");
        await foreach (var old in tables.Service.QueryAsync(filter, cancellationToken: CancellationToken.None))
        {
            try
            {
                await tables.Service.DeleteTableAsync(old.Name, CancellationToken.None);
                logger.LogInformation("Deleted the address budgets of an earlier day ({Table})", old.Name);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409)
            {
                // Another instance is deleting it.
            }
        }
    }
}
