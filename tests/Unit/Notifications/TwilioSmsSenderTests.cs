using System.Net;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Notifications.Twilio;
using Microsoft.Extensions.Options;
using Moq;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;

namespace FestivalReservations.Tests.Unit.Notifications;

/// <summary>TwilioSmsSender over a mocked ITwilioRestClient: the request it makes, and how Twilio's failures are sorted.</summary>
public sealed class TwilioSmsSenderTests
{
    private const string Created = """{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":"+821012345678"}""";
    private static readonly SmsSendRequest Message = new("m1", SmsKind.Confirmed, "en", "+821012345678", "[Festival] Booking confirmed");

    private static (TwilioSmsSender Sender, List<Request> Requests, Mock<ITwilioRestClient> Client) Create(
        TwilioOptions options, Func<Request, Response>? answer = null)
    {
        var requests = new List<Request>();
        var client = new Mock<ITwilioRestClient>(MockBehavior.Strict);
        client.SetupGet(c => c.AccountSid).Returns("AC00000000000000000000000000000000");
        client.SetupGet(c => c.Region).Returns((string)null!);
        client.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .Returns((Request r) =>
            {
                requests.Add(r);
                return Task.FromResult(answer?.Invoke(r) ?? new Response(HttpStatusCode.Created, Created));
            });
        return (new TwilioSmsSender(client.Object, Options.Create(options)), requests, client);
    }

    private static Dictionary<string, string> Form(Request r) => r.PostParams.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task Send_WithFromNumber_PostsToE164FromBodyAndStatusCallback()
    {
        var (sender, requests, _) = Create(new TwilioOptions
        {
            AccountSid = "AC00000000000000000000000000000000", AuthToken = "t", From = "+15005550006",
            StatusCallbackUrl = "https://festival.example/api/sms/status",
        });

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal("SM0123456789abcdef0123456789abcdef", result.Sid);
        var request = Assert.Single(requests);
        Assert.Equal(Twilio.Http.HttpMethod.Post, request.Method);
        Assert.EndsWith("/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json", request.ConstructUrl().AbsolutePath);
        var form = Form(request);
        Assert.Equal("+821012345678", form["To"]);
        Assert.Equal("+15005550006", form["From"]);
        Assert.Equal("[Festival] Booking confirmed", form["Body"]);
        Assert.Equal("https://festival.example/api/sms/status", form["StatusCallback"]);
        Assert.False(form.ContainsKey("MessagingServiceSid"));
    }

    [Fact]
    public async Task Send_WithMessagingService_UsesItInsteadOfFrom_AndNoCallbackWhenNotConfigured()
    {
        var (sender, requests, _) = Create(new TwilioOptions
        {
            AccountSid = "AC00000000000000000000000000000000", AuthToken = "t", From = "+15005550006",
            MessagingServiceSid = "MG00000000000000000000000000000000",
        });

        await sender.SendAsync(Message, CancellationToken.None);

        var form = Form(Assert.Single(requests));
        Assert.Equal("MG00000000000000000000000000000000", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
        Assert.False(form.ContainsKey("StatusCallback"));
        Assert.Equal("+821012345678", form["To"]);
    }

    /// <summary>Code, HTTP status, permanent, and whether Twilio may have created the message all the same.</summary>
    public static TheoryData<int, int, bool, bool> Errors => new()
    {
        { 21211, 400, true, false },   // invalid To
        { 21614, 400, true, false },   // not a mobile
        { 21610, 400, true, false },   // unsubscribed
        { 21408, 400, true, false },   // region not enabled
        { 20003, 401, true, false },   // bad credentials: 4xx other than 429
        { 20404, 404, true, false },
        { 20429, 429, false, false },  // rate limited: Twilio said no
        { 0, 429, false, false },
        { 20500, 500, false, true },   // Twilio outage: it may have created the message before failing
        { 0, 503, false, true },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Send_TwilioRefuses_SortsPermanentFromTransient(int code, int status, bool permanent, bool outcomeUnknown)
    {
        var (sender, _, client) = Create(new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "+15005550006" });
        client.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .ThrowsAsync(new ApiException(code, status, "The 'To' number +821012345678 is not valid", "https://www.twilio.com/docs/errors", null));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.Equal(permanent, error.Permanent);
        Assert.Equal(outcomeUnknown, error.OutcomeUnknown);
        Assert.Contains($"Twilio {code}, HTTP {status}", error.Error);
        Assert.DoesNotContain("1012345678", error.Error); // Twilio's own text can quote the number: never kept
    }

    [Fact]
    public async Task Send_NetworkFailure_IsTransientWithAnUnknownOutcome()
    {
        var (sender, _, client) = Create(new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "+15005550006" });
        client.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .ThrowsAsync(new ApiConnectionException("Connection Error: POST https://api.twilio.com/...", new HttpRequestException("refused")));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.True(error.OutcomeUnknown);
    }

    [Fact]
    public async Task Send_AnswerWithoutSid_IsTransientWithAnUnknownOutcome()
    {
        var (sender, _, _) = Create(new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "+15005550006" },
            _ => new Response(HttpStatusCode.Created, "{}"));

        var error = await Assert.ThrowsAsync<SmsSendException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.True(error.OutcomeUnknown);
    }

    [Theory]
    [InlineData("Api Error: BadRequest - [no content]", 400)]
    [InlineData("Api Error: InternalServerError - ", 500)]
    [InlineData("Api Error: 599 - x", 0)]
    [InlineData("something else", 0)]
    public void StatusFromMessage_ReadsTheSdksFallbackText(string message, int status) =>
        Assert.Equal(status, TwilioErrors.StatusFromMessage(message));

    [Fact]
    public void StatusUpdater_MapsTwilioStatuses()
    {
        Assert.Equal(SmsStatus.Delivered, SmsStatusUpdater.Map("delivered"));
        Assert.Equal(SmsStatus.Undelivered, SmsStatusUpdater.Map("undelivered"));
        Assert.Equal(SmsStatus.Failed, SmsStatusUpdater.Map("failed"));
        Assert.Equal(SmsStatus.Sent, SmsStatusUpdater.Map("sent"));
        Assert.Equal(SmsStatus.Sent, SmsStatusUpdater.Map("queued"));
        Assert.Equal(SmsStatus.Sent, SmsStatusUpdater.Map("accepted"));
        Assert.Null(SmsStatusUpdater.Map("receiving"));
        Assert.Null(SmsStatusUpdater.Map(null));
    }
}
