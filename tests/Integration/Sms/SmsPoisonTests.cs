using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Phones;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>The poison consumer over SmsLog on Azurite: what the queue gave up on becomes failed (and retryable), what was settled stays as it is.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsPoisonTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Poison_EveryDeliveryFailedBeforeTheClaim_FailedThenStaffRetrySendsOnce()
    {
        // Storage refuses the claim of this SMS five times over: nothing gets recorded, so before the
        // poison consumer it was neither sent nor in any list.
        var network = NetworkFault.ResetBeforeSending(NetworkFault.InsertInto("SmsLog"));
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "poison-claim", network.Tables(azurite.ConnectionString));
        var message = await app.BookAsync(1);
        for (var delivery = 1; delivery <= SmsSendService.MaxAttempts; delivery++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => app.Sms.HandleAsync(message, delivery, None));
        }

        Assert.True(network.Hits >= SmsSendService.MaxAttempts);
        Assert.Null(await app.Log.GetAsync(message.MessageId, None));
        network.Heal();

        await app.Core.Get<SmsPoisonHandler>().HandleAsync(SmsQueueMessage.Write(message), None);

        var staff = app.Core.Get<SmsStaffService>();
        var failed = Assert.Single((await staff.ListAsync(SmsStatus.Failed, message.ReservationCode, None)).Value!);
        Assert.Equal((message.MessageId, SmsKind.Confirmed, $"the queue gave up after {SmsSendService.MaxAttempts} deliveries"), (failed.MessageId, failed.Kind, failed.LastError));
        Assert.Equal(KoreanMobile.Mask(KoreanMobile.TryParse(CoreHarness.Phone(1), out var phone) ? phone.E164 : ""), failed.To);
        Assert.Equal(0, app.Sender.SentCount(message.MessageId));

        Assert.True((await staff.RetryAsync(message.MessageId, None)).IsSuccess);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None); // the retry's queue message, delivered
        await app.Sms.HandleAsync(message, dequeueCount: 1, None); // and delivered again

        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
        Assert.Equal(SmsStatus.Sent, (await app.Log.GetAsync(message.MessageId, None))!.Status);
    }

    [Fact]
    public async Task Poison_BatchOfSentPendingFailedAndUnrecordedSms_MarksOnlyTheUnsettledOnesFailed()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "poison-batch");
        var sent = await app.BookAsync(1);
        await app.Sms.HandleAsync(sent, dequeueCount: 1, None);
        var pending = await app.BookAsync(2);
        app.Sender.Fail = r => r.MessageId == pending.MessageId ? SmsSendException.Transient("Twilio 20429, HTTP 429: rate limited") : null;
        await Assert.ThrowsAsync<SmsSendException>(() => app.Sms.HandleAsync(pending, dequeueCount: 1, None));
        var refused = await app.BookAsync(3);
        app.Sender.Fail = r => r.MessageId == refused.MessageId ? SmsSendException.Refused("Twilio 21211, HTTP 400: invalid 'To' number") : null;
        await app.Sms.HandleAsync(refused, dequeueCount: 1, None);
        var unrecorded = await app.BookAsync(4);
        var before = (await app.Log.GetAsync(sent.MessageId, None), await app.Log.GetAsync(refused.MessageId, None));

        await app.Core.Get<SmsPoisonHandler>().HandleAsync(SmsQueueMessage.Write([sent, pending, refused, unrecorded]), None);

        Assert.Equal(before, (await app.Log.GetAsync(sent.MessageId, None), await app.Log.GetAsync(refused.MessageId, None)));
        var marked = (await app.Log.GetAsync(pending.MessageId, None))!;
        Assert.Equal((SmsStatus.Failed, 1, $"the queue gave up after {SmsSendService.MaxAttempts} deliveries; last error: Twilio 20429, HTTP 429: rate limited"),
            (marked.Status, marked.Attempts, marked.LastError));
        Assert.Null(marked.SendingUntil);
        var created = (await app.Log.GetAsync(unrecorded.MessageId, None))!;
        Assert.Equal((SmsStatus.Failed, 0, "ko", unrecorded.ReservationCode), (created.Status, created.Attempts, created.Language, created.ReservationCode));
        var failed = (await app.Core.Get<SmsStaffService>().ListAsync(SmsStatus.Failed, null, None)).Value!.Select(v => v.MessageId).ToList();
        Assert.Contains(pending.MessageId, failed);
        Assert.Contains(unrecorded.MessageId, failed);
        Assert.Contains(refused.MessageId, failed);
        Assert.DoesNotContain(sent.MessageId, failed);
    }

    [Fact]
    public async Task Poison_SmsAnotherDeliveryIsSending_IsLeftToItAndRetried()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "poison-lease");
        var message = await app.BookAsync(1);
        var poisoned = new TaskCompletionSource();
        app.Sender.Accepted = async (_, _) => await poisoned.Task; // holds the lease while the poison message comes
        var sending = app.Sms.HandleAsync(message, dequeueCount: 1, None);
        while ((await app.Log.GetAsync(message.MessageId, None))?.SendingUntil is null)
        {
            await Task.Delay(10);
        }

        await Assert.ThrowsAsync<SmsInProgressException>(() => app.Core.Get<SmsPoisonHandler>().HandleAsync(SmsQueueMessage.Write(message), None));
        poisoned.SetResult();
        await sending;

        await app.Core.Get<SmsPoisonHandler>().HandleAsync(SmsQueueMessage.Write(message), None); // the queue's retry
        Assert.Equal(SmsStatus.Sent, (await app.Log.GetAsync(message.MessageId, None))!.Status);
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
    }
}
