using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Notifications.Twilio;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Notifications;

/// <summary>The real TwilioRestClient and TwilioSmsSender against a loopback server that answers like Twilio's Messages endpoint.</summary>
public sealed class TwilioLoopbackTests : IAsyncLifetime
{
    private static readonly SmsSendRequest Message = new("m1", SmsKind.Confirmed, "ko", "+821012345678", "[축제] 예약 확정");
    private FakeTwilio _twilio = null!;

    public async Task InitializeAsync() => _twilio = await FakeTwilio.StartAsync();

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    private TwilioSmsSender Sender(TwilioOptions? options = null) =>
        new(_twilio.CreateClient(), Options.Create(options ?? FakeTwilio.Options(callback: "https://festival.example/api/sms/status")));

    [Fact]
    public async Task Created_ReturnsTheSid_AndTheServerSawTheRequest()
    {
        var result = await Sender().SendAsync(Message, CancellationToken.None);

        Assert.StartsWith("SM", result.Sid);
        var call = Assert.Single(_twilio.Calls);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", call.Path);
        Assert.Equal(FakeTwilio.AccountSid, call.AuthUser);
        Assert.Equal("+821012345678", call.Form["To"]);
        Assert.Equal("+15005550006", call.Form["From"]);
        Assert.Equal("[축제] 예약 확정", call.Form["Body"]);
        Assert.Equal("https://festival.example/api/sms/status", call.Form["StatusCallback"]);
    }

    [Fact]
    public async Task MessagingService_IsSentInsteadOfFrom()
    {
        await Sender(FakeTwilio.Options(messagingServiceSid: "MG00000000000000000000000000000000")).SendAsync(Message, CancellationToken.None);

        var call = Assert.Single(_twilio.Calls);
        Assert.Equal("MG00000000000000000000000000000000", call.Form["MessagingServiceSid"]);
        Assert.False(call.Form.ContainsKey("From"));
        Assert.False(call.Form.ContainsKey("StatusCallback"));
    }

    [Fact]
    public async Task BadRequest21211_IsPermanent()
    {
        _twilio.Script(FakeTwilio.Error(400, 21211));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.StartsWith("Twilio 21211, HTTP 400", error.Error);
        Assert.DoesNotContain("1012345678", error.Error);
    }

    [Fact]
    public async Task TooManyRequests20429_IsTransient()
    {
        _twilio.Script(FakeTwilio.Error(429, 20429));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.False(error.OutcomeUnknown); // Twilio said no: nothing was created, no look-up needed
        Assert.Contains("rate limited", error.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Service Unavailable</html>")]
    [InlineData("""{"code":20500,"message":"Internal Server Error","status":500}""")]
    public async Task ServerError500_IsTransient(string body)
    {
        _twilio.Script((500, body));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.True(error.OutcomeUnknown);
        Assert.Contains("HTTP 500", error.Error);
    }

    [Fact]
    public async Task BadRequestWithoutTwilioJson_IsPermanent()
    {
        _twilio.Script((400, ""));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Contains("HTTP 400", error.Error);
    }

    [Fact]
    public async Task NobodyListening_IsTransient()
    {
        var sender = Sender();
        await _twilio.DisposeAsync();

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
        _twilio = await FakeTwilio.StartAsync();
    }

    [Theory]
    [InlineData(TwilioFault.CommitThenDropReply, 1)]
    [InlineData(TwilioFault.CommitThenAnswer500, 1)]
    [InlineData(TwilioFault.DropWithoutCommitting, 0)]
    public async Task AmbiguousFailure_IsAnUnknownOutcome_AndTheLookupFindsWhatTwilioHas(TwilioFault fault, int created)
    {
        _twilio.FaultFor = _ => fault;
        var sender = Sender();

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));
        var found = await sender.FindSentAsync(Message, DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);

        Assert.True(error.OutcomeUnknown);
        Assert.False(error.Permanent);
        Assert.Equal(created, _twilio.Messages.Count);
        Assert.Equal(_twilio.Messages.SingleOrDefault()?.Sid, found?.Sid);
        var lookup = Assert.Single(_twilio.Lookups);
        Assert.Contains("To=%2B821012345678", lookup);
        Assert.Contains("DateSent%3E=", lookup);
    }

    [Fact]
    public async Task FindSent_MatchesOnlyThisBodyFromThisSender()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Sender().SendAsync(Message with { Text = "[축제] 다른 메시지" }, CancellationToken.None);
        var otherNumber = FakeTwilio.Options();
        otherNumber.From = "+15005550001";
        await Sender(otherNumber).SendAsync(Message, CancellationToken.None);
        await Sender().SendAsync(Message with { To = "+821099998888" }, CancellationToken.None);

        Assert.Null(await Sender().FindSentAsync(Message, since, CancellationToken.None));

        var sent = await Sender().SendAsync(Message, CancellationToken.None);
        Assert.Equal(sent.Sid, (await Sender().FindSentAsync(Message, since, CancellationToken.None))?.Sid);
    }

    [Fact]
    public async Task FindSent_WithAMessagingService_MatchesItsSid()
    {
        var service = FakeTwilio.Options(messagingServiceSid: "MG00000000000000000000000000000000");
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Sender(FakeTwilio.Options(messagingServiceSid: "MG11111111111111111111111111111111")).SendAsync(Message, CancellationToken.None);

        Assert.Null(await Sender(service).FindSentAsync(Message, since, CancellationToken.None));

        var sent = await Sender(service).SendAsync(Message, CancellationToken.None);
        Assert.Equal(sent.Sid, (await Sender(service).FindSentAsync(Message, since, CancellationToken.None))?.Sid);
    }

    [Fact]
    public async Task FindSent_MessageOlderThanTheWindow_IsNotFound()
    {
        await Sender().SendAsync(Message, CancellationToken.None);

        Assert.Null(await Sender().FindSentAsync(Message, DateTimeOffset.UtcNow.AddDays(2), CancellationToken.None));
    }

    [Fact]
    public async Task FindSent_ListFailing_IsATransientFailure()
    {
        _twilio.LookupAnswerFor = _ => (500, "");

        var error = await Assert.ThrowsAsync<SmsSendException>(() => Sender().FindSentAsync(Message, DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.False(error.Permanent);
    }
}
