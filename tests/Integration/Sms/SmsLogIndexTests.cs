using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>The staff SMS list by status and by code, read through SmsLog's index rows, follows every update.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsLogIndexTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(SmsLogStore Store, TableClient Table)> StoreAsync()
    {
        var storage = new StorageTables(azurite.CreateTableServiceClient(), azurite.CreateQueueServiceClient(), Options.Create(new StorageOptions()));
        await storage.SmsLog.CreateIfNotExistsAsync();
        return (new SmsLogStore(storage), storage.SmsLog);
    }

    private static SmsLogEntry Pending(string code) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"),
        ReservationCode = code,
        SessionId = "mask-parade.20240908.1500",
        Kind = SmsKind.Confirmed,
        Language = "ko",
        To = "010-****-5678",
        Status = SmsStatus.Pending,
        Attempts = 1,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static string NewCode() => "T" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    private static async Task<List<string>> IdsAsync(SmsLogStore store, string? status, string? code) =>
        (await store.ListAsync(status, code, None)).Select(e => e.MessageId).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task List_ByStatusAndByCode_FollowsEveryStatusChange()
    {
        var (store, table) = await StoreAsync();
        var code = NewCode();
        var first = await store.TryWriteAsync(Pending(code), None);
        var second = await store.TryWriteAsync(Pending(code), None);
        var other = await store.TryWriteAsync(Pending(NewCode()), None);
        var (ids, firstId, secondId) = (new[] { first!.MessageId, second!.MessageId }.Order(StringComparer.Ordinal).ToList(), first.MessageId, second.MessageId);

        Assert.Equal(ids, await IdsAsync(store, null, code));
        Assert.Equal(ids, await IdsAsync(store, SmsStatus.Pending, code));
        Assert.Empty(await IdsAsync(store, SmsStatus.Failed, code));

        // Five attempts failed: the first moves to failed; staff see it there and only there.
        await store.UpdateAsync(firstId, e => e! with { Status = SmsStatus.Failed, Attempts = 5, LastError = "HTTP 503" }, None);
        var failed = await IdsAsync(store, SmsStatus.Failed, null);
        Assert.Contains(firstId, failed);
        Assert.DoesNotContain(secondId, failed);
        Assert.DoesNotContain(firstId, await IdsAsync(store, SmsStatus.Pending, null));
        Assert.Equal([firstId], await IdsAsync(store, SmsStatus.Failed, code));
        Assert.Equal([secondId], await IdsAsync(store, SmsStatus.Pending, code));
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(SmsLogStore.StatusPrefix + SmsStatus.Pending, firstId)).HasValue);

        // The second is sent (its lease-holder saves it whatever the ETag), and staff retry the first.
        await store.SaveAsync((await store.GetAsync(secondId, None))! with { Status = SmsStatus.Sent, TwilioSid = "SM1" }, None);
        var retried = await store.TryWriteAsync((await store.GetAsync(firstId, None))! with { Status = SmsStatus.Pending, Attempts = 0 }, None);
        Assert.NotNull(retried);

        Assert.DoesNotContain(firstId, await IdsAsync(store, SmsStatus.Failed, null));
        Assert.Equal([firstId], await IdsAsync(store, SmsStatus.Pending, code));
        Assert.Equal([secondId], await IdsAsync(store, SmsStatus.Sent, code));
        Assert.Equal(ids, await IdsAsync(store, null, code));
        Assert.DoesNotContain(other!.MessageId, await IdsAsync(store, null, code));
    }

    [Fact]
    public async Task List_IndexRowLeftByAWriteThatLost_IsNotShown()
    {
        var (store, table) = await StoreAsync();
        var code = NewCode();
        var entry = await store.TryWriteAsync(Pending(code), None);
        await store.UpdateAsync(entry!.MessageId, e => e! with { Status = SmsStatus.Sent }, None);

        // A writer that lost its race (a stale ETag) wrote its index row first and nothing else.
        Assert.Null(await store.TryWriteAsync(entry with { Status = SmsStatus.Failed }, None));

        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>(SmsLogStore.StatusPrefix + SmsStatus.Failed, entry.MessageId)).HasValue);
        Assert.DoesNotContain(entry.MessageId, await IdsAsync(store, SmsStatus.Failed, null));
        Assert.Equal([SmsStatus.Sent], (await store.ListAsync(null, code, None)).Select(e => e.Status));
    }
}
