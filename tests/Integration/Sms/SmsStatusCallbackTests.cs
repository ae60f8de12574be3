using FestivalReservations.Core.Notifications;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>Twilio's status callbacks against SmsLog on Azurite: each status, out-of-order pairs, and a callback faster than the sender.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsStatusCallbackTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string[], string> Sequences => new()
    {
        { ["queued"], SmsStatus.Sent },
        { ["sent"], SmsStatus.Sent },
        { ["delivered"], SmsStatus.Delivered },
        { ["undelivered"], SmsStatus.Undelivered },
        { ["failed"], SmsStatus.Failed },
        { ["queued", "sent", "delivered"], SmsStatus.Delivered },
        { ["delivered", "sent"], SmsStatus.Delivered },
        { ["delivered", "queued", "undelivered"], SmsStatus.Delivered },
        { ["undelivered", "sent"], SmsStatus.Undelivered },
        { ["failed", "queued"], SmsStatus.Failed },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Callbacks_InThisOrder_LeaveThisStatus(string[] twilioStatuses, string expected)
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "callbacks");
        var message = await app.BookAsync(1);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None);
        var sid = (await app.Log.GetAsync(message.MessageId, None))!.TwilioSid!;
        var updater = app.Core.Get<SmsStatusUpdater>();

        foreach (var status in twilioStatuses)
        {
            await updater.ApplyAsync(sid, status, status is "undelivered" or "failed" ? "30003" : null, None);
        }

        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal((expected, sid), (entry.Status, entry.TwilioSid));
        Assert.Equal(expected is SmsStatus.Undelivered or SmsStatus.Failed ? $"carrier: {expected} (Twilio error 30003)" : null, entry.LastError);
    }

    [Theory]
    [InlineData("delivered", SmsStatus.Delivered)]
    [InlineData("undelivered", SmsStatus.Undelivered)]
    [InlineData("sent", SmsStatus.Sent)]
    public async Task Callback_BeforeTheSenderRecordedTheSid_IsAppliedOnceItIs(string twilioStatus, string expected)
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "fast-callback");
        var updater = app.Core.Get<SmsStatusUpdater>();
        var before = "";
        app.Sender.Accepted = async (_, sid) =>
        {
            await updater.ApplyAsync(sid, twilioStatus, null, None);
            before = (await app.Log.FindBySidAsync(sid, None))?.Status ?? "(no map)";
        };
        var message = await app.BookAsync(1);

        await app.Sms.HandleAsync(message, dequeueCount: 1, None);

        Assert.Equal("(no map)", before); // the callback did come first
        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        Assert.Equal(expected, entry.Status);
        Assert.Null(entry.SendingUntil);
        Assert.Equal(1, app.Sender.SentCount(message.MessageId));
    }

    [Fact]
    public async Task Callback_OfTheSidOfAnEarlierAttempt_ChangesNothing()
    {
        await using var app = await SmsHarness.StartAsync(azurite.ConnectionString, "old-sid");
        var message = await app.BookAsync(1);
        await app.Sms.HandleAsync(message, dequeueCount: 1, None);
        var entry = (await app.Log.GetAsync(message.MessageId, None))!;
        await app.Log.SaveAsync(entry with { TwilioSid = "SMNEWER", Status = SmsStatus.Sent }, None);

        Assert.False(await app.Core.Get<SmsStatusUpdater>().ApplyAsync(entry.TwilioSid!, "delivered", null, None));

        Assert.Equal(SmsStatus.Sent, (await app.Log.GetAsync(message.MessageId, None))!.Status);
    }
}
