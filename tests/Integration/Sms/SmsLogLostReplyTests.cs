using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>
/// SmsLog writes whose reply is lost after they committed: the SDK's retry meets the row the first
/// attempt wrote (409 on the insert, 412 on the ETag-guarded update). Such a conflict is ours; one
/// with a row someone else wrote is not.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsLogLostReplyTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<SmsLogStore> StoreAsync(TableServiceClient tables)
    {
        var storage = new StorageTables(tables, azurite.CreateQueueServiceClient(), Options.Create(new StorageOptions()));
        await storage.SmsLog.CreateIfNotExistsAsync();
        return new SmsLogStore(storage);
    }

    private static SmsLogEntry Pending(string messageId) => new()
    {
        MessageId = messageId,
        ReservationCode = "K7M2QX9P",
        SessionId = "mask-parade.20240908.1500",
        Kind = SmsKind.Confirmed,
        Language = "ko",
        To = "010-****-5678",
        Status = SmsStatus.Pending,
        Attempts = 1,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
        SendingUntil = DateTimeOffset.UtcNow.AddMinutes(2),
    };

    private static string NewId() => "lost-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task TryWrite_InsertCommittedAndItsReplyLost_TheRetrys409IsOurs()
    {
        var network = NetworkFault.LoseReply(NetworkFault.InsertInto("SmsLog"));
        var store = await StoreAsync(network.Tables(azurite.ConnectionString));
        var id = NewId();

        var written = await store.TryWriteAsync(Pending(id), None);

        Assert.Equal(1, network.Hits);
        Assert.NotNull(written);
        var stored = await store.GetAsync(id, None);
        Assert.Equal(written.WriteId, stored!.WriteId);
        Assert.Equal(stored.ETag, written.ETag);
    }

    [Fact]
    public async Task TryWrite_InsertOverARowSomeoneElseWrote_IsRefused()
    {
        var store = await StoreAsync(azurite.CreateTableServiceClient());
        var id = NewId();
        var theirs = await store.TryWriteAsync(Pending(id), None);

        var mine = await store.TryWriteAsync(Pending(id), None);

        Assert.NotNull(theirs);
        Assert.Null(mine);
        Assert.Equal(theirs.WriteId, (await store.GetAsync(id, None))!.WriteId);
    }

    [Fact]
    public async Task TryWrite_UpdateCommittedAndItsReplyLost_TheRetrys412IsOurs()
    {
        var network = NetworkFault.LoseReply(NetworkFault.GuardedUpdateOf("SmsLog"));
        var store = await StoreAsync(network.Tables(azurite.ConnectionString));
        var claimed = (await store.TryWriteAsync(Pending(NewId()), None))!;

        var sent = await store.TryWriteAsync(claimed with { Status = SmsStatus.Sent, TwilioSid = "SM1", SendingUntil = null }, None);

        Assert.Equal(1, network.Hits);
        Assert.NotNull(sent);
        var stored = (await store.GetAsync(claimed.MessageId, None))!;
        Assert.Equal((SmsStatus.Sent, "SM1", sent.WriteId), (stored.Status, stored.TwilioSid, stored.WriteId));
    }

    [Fact]
    public async Task TryWrite_UpdateWithAnETagSomeoneElseMovedOn_IsRefusedAndChangesNothing()
    {
        var store = await StoreAsync(azurite.CreateTableServiceClient());
        var read = (await store.TryWriteAsync(Pending(NewId()), None))!;
        var theirs = (await store.TryWriteAsync(read with { Status = SmsStatus.Failed, SendingUntil = null }, None))!;

        var mine = await store.TryWriteAsync(read with { Status = SmsStatus.Sent, TwilioSid = "SM2" }, None);

        Assert.Null(mine);
        var stored = (await store.GetAsync(read.MessageId, None))!;
        Assert.Equal((SmsStatus.Failed, theirs.WriteId), (stored.Status, stored.WriteId));
    }

    [Fact]
    public async Task Send_ClaimInsertCommittedAndItsReplyLost_SendsOnceAndRecordsSent()
    {
        var network = NetworkFault.LoseReply(NetworkFault.InsertInto("SmsLog"));
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "claim-lost", network.Tables(azurite.ConnectionString));
        var message = await app.BookAsync(1);

        await app.Sms.HandleAsync(message, dequeueCount: 1, None);

        Assert.Equal(1, network.Hits);
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal((SmsStatus.Sent, 1), (entry.Status, entry.Attempts));
        Assert.StartsWith("SMTEST", entry.TwilioSid);
    }
}
