using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>
/// Twilio has no idempotency key. An attempt whose outcome is unknown (the message created, the
/// reply lost) leaves the SMS unconfirmed; the next attempt looks the recipient's messages up
/// before sending again and records what it finds.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsUnknownOutcomeTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Send_CreatedButTheReplyLost_NextDeliveryFindsItAndRecordsItsSid_SendingNothing()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "lost-twilio-reply");
        var message = await app.BookAsync(1);
        var lost = 0;
        app.Sender.LoseReply = _ => Interlocked.Exchange(ref lost, 1) == 0;

        var error = await Assert.ThrowsAsync<SmsSendException>(() => app.Sms.HandleAsync(message, dequeueCount: 1, None));
        var unconfirmed = (await app.Log.GetAsync(message.MessageId, None))!;
        await app.Sms.HandleAsync(message, dequeueCount: 2, None);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None); // a duplicate delivery later on

        Assert.True(error.OutcomeUnknown);
        Assert.Equal((SmsStatus.Pending, null), (unconfirmed.Status, unconfirmed.SendingUntil));
        Assert.NotNull(unconfirmed.UnconfirmedSince);
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
        Assert.Equal(1, app.Sender.Lookups);
        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal((SmsStatus.Sent, app.Sender.SidOf(message.MessageId), 2, null), (entry.Status, entry.TwilioSid, entry.Attempts, entry.UnconfirmedSince));
    }

    [Fact]
    public async Task Send_NothingCreatedForSure_NextDeliverySendsWithoutALookup()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "rate-limited");
        var message = await app.BookAsync(1);
        var refused = 0;
        app.Sender.Fail = _ => Interlocked.Exchange(ref refused, 1) == 0 ? SmsSendException.Transient("Twilio 20429, HTTP 429: rate limited") : null;

        await Assert.ThrowsAsync<SmsSendException>(() => app.Sms.HandleAsync(message, dequeueCount: 1, None));
        Assert.Null((await app.Log.GetAsync(message.MessageId, None))!.UnconfirmedSince);
        await app.Sms.HandleAsync(message, dequeueCount: 2, None);

        Assert.Equal(0, app.Sender.Lookups); // a burst of 429s does not double the calls to Twilio
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
    }

    [Fact]
    public async Task Send_LookupFailing_SendsNothingUntilItCanTell()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "lookup-down");
        var message = await app.BookAsync(1);
        app.Sender.LoseReply = _ => true;
        await Assert.ThrowsAsync<SmsSendException>(() => app.Sms.HandleAsync(message, dequeueCount: 1, None));
        app.Sender.LoseReply = null;
        app.Sender.FailLookup = _ => SmsSendException.Refused("Twilio 20003, HTTP 401: refused");

        var error = await Assert.ThrowsAsync<SmsSendException>(() => app.Sms.HandleAsync(message, dequeueCount: 2, None));
        var waiting = (await app.Log.GetAsync(message.MessageId, None))!;
        app.Sender.FailLookup = null;
        await app.Sms.HandleAsync(message, dequeueCount: 3, None);

        Assert.False(error.Permanent); // a failed look-up is not a refusal of the SMS
        Assert.Equal((SmsStatus.Pending, "could not tell whether an earlier attempt was sent: Twilio 20003, HTTP 401: refused"), (waiting.Status, waiting.LastError));
        Assert.NotNull(waiting.UnconfirmedSince);
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal((SmsStatus.Sent, app.Sender.SidOf(message.MessageId)), (entry.Status, entry.TwilioSid));
    }

    [Fact]
    public async Task Send_DeliveryThatDiedAfterItsClaim_NextOneLooksUpBeforeSending()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "died-mid-send");
        var message = await app.BookAsync(1);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None);
        var sent = (await app.Log.GetAsync(message.MessageId, None))!;
        // The row as the claim left it, as if the process had died after Twilio took the message and
        // before the SID was recorded; its lease is over.
        var now = app.Core.Clock.GetUtcNow();
        await app.Log.SaveAsync(sent with { Status = SmsStatus.Pending, TwilioSid = null, SendingUntil = now.AddSeconds(-1), UnconfirmedSince = now.AddMinutes(-2) }, None);

        await app.Sms.HandleAsync(message, dequeueCount: 2, None);

        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
        Assert.Equal(1, app.Sender.Lookups);
        Assert.Equal(sent.TwilioSid, (await app.Log.GetAsync(message.MessageId, None))!.TwilioSid);
    }

    [Fact]
    public async Task Send_LeaseHeldByADeliveryThatDiedBeforeSending_TheNextWaitsItOutAndSendsOnce_SpendingNoDelivery()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "dead-lease");
        var message = await app.BookAsync(1);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None);
        var sent = (await app.Log.GetAsync(message.MessageId, None))!;
        // The row as a claim whose reply was lost leaves it: leased for another 30 s, nothing sent.
        // The queue redelivers sooner than that; the delivery must not fail (eight such failures
        // poisoned the message, and its SMS was never sent).
        var now = app.Core.Clock.GetUtcNow();
        await app.Log.SaveAsync(sent with { Status = SmsStatus.Pending, TwilioSid = null, SendingUntil = now.AddSeconds(30), UnconfirmedSince = now }, None);
        var sentBefore = app.Sender.SentCount(message.MessageId);

        var delivery = app.Sms.HandleAsync(message, dequeueCount: 2, None);
        await Task.Delay(200);
        Assert.False(delivery.IsCompleted, "the delivery should wait for the lease, not fail at once");
        app.Core.Clock.Advance(TimeSpan.FromSeconds(31));
        await delivery.WaitAsync(TimeSpan.FromSeconds(30));

        var row = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal((SmsStatus.Sent, (DateTimeOffset?)null), (row.Status, row.SendingUntil));
        // The earlier attempt's outcome was unknown: it is looked up (and found) rather than sent again.
        Assert.Equal(sentBefore, app.Sender.SentCount(message.MessageId));
        Assert.Equal(1, app.Sender.Lookups);
    }
}
