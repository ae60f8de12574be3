using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Notifications;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// At most <c>Sms:MaxPerPhonePerDay</c> messages to one phone in one festival-local day, counted in
/// storage (the phone's <c>s-</c> row in <see cref="PhoneDays"/>) so that every instance agrees: a
/// reserve → cancel loop aimed at someone's number stops at the budget. The row keeps the ids of
/// the messages it counted, so a redelivery, a retry after a lost reply or a staff retry of the
/// same message is not counted twice.
/// </summary>
public sealed class SmsBudget(StorageTables tables, IOptions<SmsOptions> options)
{
    private readonly TableClient _table = tables.PhoneDays;

    /// <summary>True: <paramref name="messageId"/> may go to the phone (counted now or before); false: the day's budget is spent.</summary>
    public Task<bool> TrySpendAsync(string phoneHash, DateOnly day, string messageId, CancellationToken cancellationToken) =>
        RowUpdate.RunAsync(_table, PhoneDays.Partition(day, phoneHash), PhoneDays.SmsPrefix + phoneHash, row =>
        {
            var sent = Read(row);
            if (sent.Contains(messageId))
            {
                return new RowChange<bool>(null, true);
            }

            if (sent.Count >= options.Value.MaxPerPhonePerDay)
            {
                return new RowChange<bool>(null, false);
            }

            return new RowChange<bool>(new TableEntity { ["Sent"] = JsonSerializer.Serialize<List<string>>([.. sent, messageId], JsonPolicies.Stored) }, true);
        }, cancellationToken);

    /// <summary>The messages counted for a phone on a day.</summary>
    public async Task<IReadOnlyList<string>> CountedAsync(string phoneHash, DateOnly day, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PhoneDays.Partition(day, phoneHash), PhoneDays.SmsPrefix + phoneHash,
            cancellationToken: cancellationToken);
        return Read(row.HasValue ? row.Value : null);
    }

    private static List<string> Read(TableEntity? row) =>
        row?.GetString("Sent") is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json, JsonPolicies.Stored) ?? [] : [];
}
