using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Privacy;

namespace FestivalReservations.Core.Storage;

/// <summary>The Codes table's part of an erasure: the phone hash each code's row names (<see cref="CodeDirectory.ForgetHoldersAsync"/>).</summary>
public sealed class CodesPersonalData(CodeDirectory codes) : IPersonalDataHolder
{
    public const string Kind = "code-phone-hashes";

    public async Task<IReadOnlyList<ErasedRows>> EraseSessionAsync(SessionErasure session, CancellationToken cancellationToken) =>
        [new ErasedRows(Kind, await codes.ForgetHoldersAsync(session.Codes, cancellationToken))];
}

/// <summary>The SmsLog table's part of an erasure: the (masked) recipient of every message of the session's reservations.</summary>
public sealed class SmsLogPersonalData(SmsLogStore smsLog) : IPersonalDataHolder
{
    public const string Kind = "sms-log";

    public async Task<IReadOnlyList<ErasedRows>> EraseSessionAsync(SessionErasure session, CancellationToken cancellationToken)
    {
        var rows = 0;
        foreach (var code in session.Codes)
        {
            rows += await smsLog.ForgetRecipientsAsync(code, cancellationToken);
        }

        return [new ErasedRows(Kind, rows)];
    }
}

/// <summary>Stored first answers of idempotent requests (they hold the visitor's name): deleted once their 24 hours are over.</summary>
public sealed class IdempotencyPersonalData(IdempotencyStore store) : IExpiringPersonalData
{
    public const string Kind = "idempotent-answers";

    public async Task<ErasedRows> EraseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        new(Kind, await store.DeleteCreatedBeforeAsync(now - IdempotencyStore.KeptFor, cancellationToken));
}

/// <summary>
/// The PhoneDays table (phone hashes with the sessions and SMS of one festival day, for the per-phone
/// limits): a day's rows serve that day only, so they are deleted once it is <see cref="KeptFor"/>
/// behind, by one range query over the days before (partitions start with the day), so a run reads
/// only what it deletes.
/// </summary>
public sealed class PhoneDaysPersonalData(StorageTables tables) : IExpiringPersonalData
{
    public const string Kind = "phone-days";

    /// <summary>A day's limits hold through the day; a second day covers the festival's time zone and a late cancel.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(2);

    private readonly TableClient _table = tables.PhoneDays;

    public async Task<ErasedRows> EraseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = (now - KeptFor).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {before}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }

        return new ErasedRows(Kind, deleted);
    }
}
